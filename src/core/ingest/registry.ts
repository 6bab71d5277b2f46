import type { FlowFormat, TabularSupport } from './format';
import { awsTgwFormat, awsVpcFormat } from './formats/aws-vpc';

/**
 * Every flow format, in sniffing order: on equal confidence the earlier one
 * wins, so specific formats come before the generic CSV fallback.
 */
export const FLOW_FORMATS: readonly FlowFormat[] = [awsVpcFormat, awsTgwFormat];

/** Formats whose columns may also arrive as Parquet. */
export const TABULAR_FORMATS: readonly TabularSupport[] = [awsVpcFormat, awsTgwFormat];

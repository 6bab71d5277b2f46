import type { FlowFormat, TabularSupport } from './format';
import { argusFormat } from './formats/argus';
import { awsTgwFormat, awsVpcFormat } from './formats/aws-vpc';
import { azureNsgFormat } from './formats/azure-nsg';
import { azureVnetFormat } from './formats/azure-vnet';
import { csvFormat } from './formats/csv';
import { flowfenceEdgesFormat } from './formats/flowfence-edges';
import { gcpVpcFormat } from './formats/gcp-vpc';
import { hubbleFormat } from './formats/hubble';
import { nfdumpFormat } from './formats/nfdump';
import { pmacctFormat } from './formats/pmacct';
import { suricataEveFormat } from './formats/suricata-eve';
import { zeekConnFormat } from './formats/zeek-conn';

/**
 * Every flow format, in sniffing order: on equal confidence the earlier one
 * wins, so specific formats come before the generic CSV fallback.
 */
export const FLOW_FORMATS: readonly FlowFormat[] = [
  awsVpcFormat,
  awsTgwFormat,
  azureNsgFormat,
  azureVnetFormat,
  gcpVpcFormat,
  hubbleFormat,
  suricataEveFormat,
  zeekConnFormat,
  nfdumpFormat,
  pmacctFormat,
  argusFormat,
  flowfenceEdgesFormat,
  csvFormat,
];

/** Formats whose columns may also arrive as Parquet, tried in this order. */
export const TABULAR_FORMATS: readonly TabularSupport[] = [
  awsVpcFormat,
  awsTgwFormat,
  zeekConnFormat,
  nfdumpFormat,
  pmacctFormat,
  argusFormat,
  flowfenceEdgesFormat,
  csvFormat,
];

import { AWS_V2_HEADER, awsRecordLines, awsRecordsPerConnection } from './aws-flow-log-writer';
import { buildEnterprise, type Enterprise, type EnterpriseConfig } from './enterprise';
import type { GeneratedFile } from '../util/generated-file';
import { connectionsInHour, expectedRecords, type TrafficConfig } from './traffic';

export interface AwsDatasetConfig extends EnterpriseConfig {
  /** First day (UTC midnight, epoch ms). */
  readonly startMs: number;
  readonly days: number;
  /** Aim for about this many records; otherwise `intensity` is used as given. */
  readonly targetRecords?: number;
  readonly intensity?: number;
}

export interface AwsDataset {
  readonly enterprise: Enterprise;
  readonly traffic: TrafficConfig;
  /** One flow log file per day, as AWS would deliver them (header line first). */
  days(): Iterable<AwsDayFile>;
}

export interface AwsDayFile {
  readonly name: string;
  /** Chunks of lines, one per hour, header first. */
  chunks(): Iterable<string[]>;
}

const DAY = 86_400_000;

export function awsDataset(config: AwsDatasetConfig): AwsDataset {
  return awsDatasetOf(buildEnterprise(config), config);
}

/** Any enterprise (the synthetic one, an application topology) as AWS flow logs. */
export function awsDatasetOf(enterprise: Enterprise, config: Omit<AwsDatasetConfig, 'apps' | 'workstationScale'>): AwsDataset {
  const hours = config.days * 24;
  let intensity = config.intensity ?? 1;
  if (config.targetRecords !== undefined) {
    const expected = expectedRecords(enterprise, { startMs: config.startMs, hours }, awsRecordsPerConnection);
    intensity = Math.max(0.01, (config.targetRecords - expected.fixed) / expected.perIntensity);
  }
  const traffic: TrafficConfig = { seed: config.seed, startMs: config.startMs, hours, intensity };
  return {
    enterprise,
    traffic,
    *days() {
      for (let day = 0; day < config.days; day++) {
        const date = new Date(config.startMs + day * DAY).toISOString().slice(0, 10).replace(/-/g, '');
        yield {
          name: `123456789012_vpcflowlogs_us-east-1_fl-0synthetic_${date}.log`,
          *chunks() {
            yield [AWS_V2_HEADER];
            for (let hour = day * 24; hour < (day + 1) * 24; hour++) {
              const lines: string[] = [];
              for (const connection of connectionsInHour(enterprise, traffic, hour)) awsRecordLines(connection, lines);
              yield lines;
            }
          },
        };
      }
    },
  };
}

/** Each day as a gzip-compressed flow log file, the way AWS delivers them to S3. */
export function awsDayFiles(dataset: AwsDataset, folder = ''): GeneratedFile[] {
  return [...dataset.days()].map((day) => ({
    path: `${folder}${day.name}.gz`,
    gzip: true,
    *chunks() {
      for (const lines of day.chunks()) if (lines.length > 0) yield `${lines.join('\n')}\n`;
    },
  }));
}

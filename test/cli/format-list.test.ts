import { describe, expect, it } from 'vitest';
import { FORMAT_IDS } from '../../src/core/ingest/format';
import { cli } from '../helpers/cli';

describe('analyze --help', () => {
  it('lists every flow format the engine reads, each with what it is', async () => {
    const help = (await cli(['analyze', '--help'])).stdout;
    for (const id of FORMAT_IDS) expect(help, id).toMatch(new RegExp(`\\n  ${id} +\\S`));
    expect(help).toContain('  aws-vpc       AWS VPC flow logs v2-v8');
  });
});

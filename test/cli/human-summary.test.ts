import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';

const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const row = (fields: Partial<Record<'src' | 'sport' | 'dport' | 'proto' | 'packets' | 'bytes' | 'start' | 'end' | 'action', string>>): string =>
  `2 123456789012 eni-1 ${fields.src ?? '10.0.0.5'} 10.0.0.9 ${fields.sport ?? '50000'} ${fields.dport ?? '443'} ${fields.proto ?? '6'} ${fields.packets ?? '10'} ${fields.bytes ?? '1000'} ${fields.start ?? '1767600000'} ${fields.end ?? '1767600060'} ${fields.action ?? 'ACCEPT'} OK`;

describe('the human summary of rejected rows', () => {
  it('shows the five commonest reasons and counts the rest, saying where they all are', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flowfence-rejects-'));
    const rows = [row({}), row({ dport: '70000' }), row({ dport: '70001' }), row({ sport: '70000' }), row({ proto: '999' }), row({ packets: 'ten' }), row({ bytes: 'many' }), row({ action: 'MAYBE' }), row({ src: 'not-an-ip' }), row({ start: '1767600060', end: '1767600000' })];
    await writeFile(join(dir, 'flows.log'), `${HEADER}\n${rows.join('\n')}\n`);
    const lines = (await cli(['analyze', join(dir, 'flows.log')])).stdout.split('\n');
    const shown = lines.filter((line) => line.startsWith('  rejected '));
    expect(shown).toHaveLength(5);
    expect(shown[0]).toBe('  rejected 2× dstport: not a port (0-65535)');
    expect(lines).toContain('  … 3 more reasons (3 rows): --json counts every reason, rejects.csv (--out) lists every row');
  });
});

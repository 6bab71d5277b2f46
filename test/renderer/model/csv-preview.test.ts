import { describe, expect, it } from 'vitest';
import { csvPreview, missingRequired, PREVIEW_ROWS } from '../../../src/renderer/model/csv-preview';

describe('the CSV preview of the column mapping', () => {
  it('splits the header and first rows as the engine would, and suggests the columns it would pick', () => {
    const rows = Array.from({ length: 20 }, (_, index) => `10.0.0.${index};10.0.1.1;4000${index};443;tcp;ok`);
    const preview = csvPreview(['# exported by a firewall', 'Source IP;Destination IP;SrcPort;Dest Port;Transport;Result', ...rows, '10.0.0.99;10.0'].join('\n'))!;
    expect(preview.delimiter).toBe(';');
    expect(preview.header).toEqual(['Source IP', 'Destination IP', 'SrcPort', 'Dest Port', 'Transport', 'Result']);
    expect(preview.rows).toHaveLength(PREVIEW_ROWS);
    expect(preview.rows[0]).toEqual(['10.0.0.0', '10.0.1.1', '40000', '443', 'tcp', 'ok']);
    expect(preview.suggested).toMatchObject({ src: 'Source IP', dst: 'Destination IP', sport: 'SrcPort', dport: 'Dest Port', proto: 'Transport', action: 'Result' });
  });

  it('names the required fields a mapping lacks, and gives up on what is no table', () => {
    expect(missingRequired({ src: 'a', dst: '' })).toEqual(['dst', 'proto']);
    expect(csvPreview('')).toBeNull();
    expect(csvPreview('just one column\nvalue')).toBeNull();
  });
});

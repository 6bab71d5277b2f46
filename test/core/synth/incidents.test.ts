import { describe, expect, it } from 'vitest';
import type { ServiceUse, SynthHost } from '../../../src/core/synth/enterprise';
import { expectedAnomalies, scoreAnomalies, type Incident } from '../../../src/core/synth/incidents';

const host = (ip: string, kind: SynthHost['kind'], env?: SynthHost['env']): SynthHost => ({ ip, name: ip, eni: null, kind, os: 'linux', ...(env === undefined ? {} : { env }) });
const incident = (kind: Incident['kind'], client: SynthHost, servers: readonly SynthHost[]): Incident => ({
  kind,
  client,
  targets: servers.map((server) => ({ server, port: 443, denied: false })),
  proto: 6,
  atShare: 0.5,
  hours: 1,
  perHour: 1,
  requestBytes: 1,
  responseBytes: 1,
});

describe('scoreAnomalies', () => {
  const expected = [
    { kind: 'exfiltration' as const, client: '10.1.0.1', servers: ['198.51.100.250'] },
    { kind: 'scan' as const, client: '10.100.0.1', servers: ['10.1.0.1', '10.1.0.2'] },
  ];
  const observed = new Set(['10.1.0.1|198.51.100.250', '10.100.0.1|10.1.0.2']);

  it('counts a detection of the expected kind, source and destination', () => {
    const score = scoreAnomalies(
      expected,
      [
        { kind: 'exfiltration', src: '10.1.0.1', dst: '198.51.100.250' },
        { kind: 'scan', src: '10.100.0.1', dst: '2 hosts' },
      ],
      observed,
    );
    expect(score).toEqual({ expected: 2, found: 2, recall: 1, falseFlags: 0, missed: [], false: [] });
  });

  it('does not count a detection of the right hosts under the wrong kind: it is a miss and a false flag', () => {
    const score = scoreAnomalies(
      expected,
      [
        { kind: 'new-external', src: '10.1.0.1', dst: '198.51.100.250' },
        { kind: 'lateral-movement', src: '10.100.0.1', dst: '2 hosts' },
      ],
      observed,
    );
    expect(score).toEqual({
      expected: 2,
      found: 0,
      recall: 0,
      falseFlags: 2,
      missed: ['exfiltration 10.1.0.1', 'scan 10.100.0.1'],
      false: ['new-external 10.1.0.1 → 198.51.100.250', 'lateral-movement 10.100.0.1 → 2 hosts'],
    });
  });

  it('one right and one wrong kind for the same pair: the right one counts, the wrong one is a false flag', () => {
    const score = scoreAnomalies(
      expected.slice(0, 1),
      [
        { kind: 'exfiltration', src: '10.1.0.1', dst: '198.51.100.250' },
        { kind: 'cross-environment', src: '10.1.0.1', dst: '198.51.100.250' },
      ],
      observed,
    );
    expect(score).toMatchObject({ expected: 1, found: 1, recall: 1, falseFlags: 1, missed: [], false: ['cross-environment 10.1.0.1 → 198.51.100.250'] });
  });

  it('leaves out expected anomalies whose traffic never happened', () => {
    const score = scoreAnomalies(expected, [], new Set(['10.100.0.1|10.1.0.2']));
    expect(score).toEqual({ expected: 1, found: 0, recall: 0, falseFlags: 0, missed: ['scan 10.100.0.1'], false: [] });
  });
});

describe('expectedAnomalies', () => {
  it("lists each incident under its kind, an incident's fresh external address also as a new external contact, and refused dev → prod uses", () => {
    const db = host('10.1.0.1', 'server', 'prod');
    const dev = host('10.2.0.1', 'server', 'dev');
    const drop = host('198.51.100.250', 'external');
    const beacon = host('203.0.113.250', 'external');
    const workstation = host('10.100.0.1', 'workstation');
    const use: ServiceUse = { client: dev, servers: [db], proto: 6, port: 5432, perHour: 1, pattern: 'steady', persistent: false, requestBytes: 1, responseBytes: 1, denied: true };
    const expected = expectedAnomalies([incident('exfiltration', db, [drop]), incident('new-external', workstation, [beacon]), incident('scan', workstation, [db])], [use]);
    expect(expected).toEqual([
      { kind: 'exfiltration', client: '10.1.0.1', servers: ['198.51.100.250'] },
      { kind: 'new-external', client: '10.100.0.1', servers: ['203.0.113.250'] },
      { kind: 'scan', client: '10.100.0.1', servers: ['10.1.0.1'] },
      { kind: 'new-external', client: '10.1.0.1', servers: ['198.51.100.250'] },
      { kind: 'cross-environment', client: '10.2.0.1', servers: ['10.1.0.1'] },
    ]);
  });
});

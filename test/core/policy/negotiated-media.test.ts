import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_SETTINGS } from '../../../src/core/policy/policy-model';
import { edge, generate } from './fixtures';

// Media on ports call signalling hands out (RTP, one pair per call) becomes
// one range rule over the ports seen, since the next call takes a port no
// capture has seen; fixed services beside it keep their own rules.

const gateway = '10.10.45.20';
const manager = '10.10.45.11';
const phones = Array.from({ length: 6 }, (_, i) => `10.20.130.${i + 1}`);

function voice() {
  const edges = phones.map((phone) => edge(phone, manager, 5060, { proto: 17 }));
  let port = 16400;
  for (const phone of phones) {
    for (let call = 0; call < 5; call++) {
      edges.push(edge(gateway, phone, port, { proto: 17 }), edge(gateway, phone, port + 1, { proto: 17 }));
      port += 40;
    }
  }
  // A fixed service on the phones that the gateway polls: not media.
  for (const phone of phones) edges.push(edge(gateway, phone, 8080));
  return edges;
}

const groups = [
  { id: 'g1', name: 'phones', members: phones },
  { id: 'g2', name: 'voice gateway', members: [gateway] },
  { id: 'g3', name: 'call manager', members: [manager] },
];

describe('negotiated media', () => {
  it('is one range rule from the gateway to the phones, over the ports seen, saying why', () => {
    const rules = generate({ edges: voice(), groups }).rules();
    const media = rules.filter((rule) => rule.from === 'g2' && rule.to === 'g1' && rule.proto === 17);
    expect(media).toHaveLength(1);
    expect(rules.filter((rule) => rule.from === 'g2' && rule.to === 'g1' && rule.proto === 6).map((rule) => rule.ports)).toEqual([{ from: 8080, to: 8080 }]);
    expect(media[0]).toMatchObject({ proto: 17, ports: { from: 16400, to: 16400 + 29 * 40 + 1 } });
    expect(media[0]!.evidence.steps).toEqual([{ step: 'port-range', detail: expect.stringMatching(/^60 ports that call signalling handed out \(negotiated media/) }]);
    expect(rules.filter((rule) => rule.to === 'g3').map((rule) => rule.ports)).toEqual([{ from: 5060, to: 5060 }]);
  });

  it('leaves sparse high ports of ordinary services to the usual range test', () => {
    // Three clients on each of a server's ports: services, not handed-out media.
    const edges = [16400, 20000, 24000].flatMap((port) => phones.slice(0, 3).map((phone) => edge(phone, gateway, port, { proto: 17 })));
    const rules = generate({ edges, groups }).rules().filter((rule) => rule.to === 'g2');
    expect(rules.map((rule) => rule.ports)).toEqual([{ from: 16400, to: 16400 }, { from: 20000, to: 20000 }, { from: 24000, to: 24000 }]);
  });

  it('never spans an admin service: the range splits there, as any range does', () => {
    const settings = { ...DEFAULT_POLICY_SETTINGS, adminServices: [...DEFAULT_POLICY_SETTINGS.adminServices, { proto: 17, port: 17000, name: 'console' }] };
    const media = generate({ edges: voice(), groups, settings }).rules().filter((rule) => rule.from === 'g2' && rule.to === 'g1' && rule.proto === 17);
    // The admin port keeps a rule of its own (just-in-time from a group that is not an admin group).
    expect(media.map((rule) => rule.ports)).toEqual([{ from: 16400, to: 16961 }, { from: 17000, to: 17000 }, { from: 17001, to: 17561 }]);
    expect(media[1]!.jit).not.toBeNull();
  });

  it('makes no media range towards an outside network or a broadcast address', () => {
    // A dozen hosts announcing themselves on one-off UDP ports to 255.255.255.255 (LAN discovery protocols).
    const announcers = Array.from({ length: 10 }, (_, i) => `10.20.131.${i + 1}`);
    const edges = announcers.map((ip, i) => edge(ip, '255.255.255.255', 5678 + i * 1200, { proto: 17 }));
    const lan = [{ id: 'g5', name: 'desks', members: announcers }];
    const hosts = [{ ip: '255.255.255.255', sortKey: '255.255.255.255', scope: 'broadcast' as const, name: null, labels: [] }];
    const rules = generate({ edges, groups: lan, hosts }).rules().filter((rule) => rule.from === 'g5');
    expect(rules.length).toBe(10);
    for (const rule of rules) expect(rule.ports!.from).toBe(rule.ports!.to);
  });

  it('keeps the ports of a single pair of hosts as seen: no call spreads over one pair', () => {
    // One host sending one-off UDP ports to a phone that takes calls from the gateway (the media host).
    const edges = [...voice(), ...Array.from({ length: 20 }, (_, i) => edge('10.20.140.9', phones[0]!, 40000 + i * 7, { proto: 17 }))];
    const rules = generate({ edges, groups: [...groups, { id: 'g6', name: 'lone', members: ['10.20.140.9'] }] }).rules().filter((rule) => rule.from === 'g6');
    expect(rules).toHaveLength(20);
    expect(rules.every((rule) => rule.ports!.from === rule.ports!.to)).toBe(true);
  });
});

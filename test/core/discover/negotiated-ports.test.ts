import { describe, expect, it } from 'vitest';
import type { ProfileEdge } from '../../../src/core/discover/host-features';
import { withoutNegotiatedPorts } from '../../../src/core/discover/negotiated-ports';
import { discoverGroups } from '../../../src/core/discover/discover-groups';

// VoIP media on ports signalling hands out, one pair per call, says whom a
// phone called, not what it is: discovery leaves it out, fixed services stay.

const udp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 17, port, flows: 1 });
const gateway = '10.10.45.20';
const manager = '10.10.45.11';

/** Phones registering with the call manager on 5060; calls from the gateway and between phones on fresh ports. */
function clinic(phones: number, callsEach: number): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  let port = 16384;
  for (let p = 1; p <= phones; p++) {
    const phone = `10.20.130.${p}`;
    edges.push(udp(phone, manager, 5060));
    for (let call = 0; call < callsEach; call++) {
      edges.push(udp(gateway, phone, port), udp(gateway, phone, port + 1), udp(phone, gateway, 30000 + (port % 997) * 2));
      port += 2;
    }
    // The phone also called the next phone once.
    if (p < phones) edges.push(udp(phone, `10.20.130.${p + 1}`, 20000 + p * 2));
  }
  return edges;
}

describe('negotiated ports', () => {
  it("leave out a phone's media and keep its signalling, and keep a host of fixed services whole", () => {
    const edges = clinic(6, 5);
    const kept = withoutNegotiatedPorts(edges);
    expect(kept.filter((edge) => edge.port === 5060)).toHaveLength(6);
    expect(kept.filter((edge) => edge.port !== 5060)).toEqual([]);
    // A collector of nine UDP services, each used by three clients (NetFlow, statsd…): fixed services, kept.
    const services = Array.from({ length: 9 }, (_, i) => [1, 2, 3].map((c) => udp(`10.30.${c}.${i + 1}`, '10.30.0.100', 5000 + i))).flat();
    expect(withoutNegotiatedPorts(services)).toEqual(services);
    // On a media host a port that eight peers or more use is a service of its own (SIP on a gateway).
    const withSip = [...edges, ...Array.from({ length: 8 }, (_, i) => udp(`10.20.131.${i + 1}`, gateway, 5060))];
    expect(withoutNegotiatedPorts(withSip).filter((edge) => edge.server === gateway)).toHaveLength(8);
    // Below eight single-peer ports nothing is a media host.
    expect(withoutNegotiatedPorts(clinic(3, 2))).toHaveLength(clinic(3, 2).length);
  });

  it('put phones in one group however their calls went', () => {
    const edges = clinic(12, 6);
    const hosts = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))].map((ip) => ({ ip, sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'), labels: [] }));
    const discovery = discoverGroups({ hosts, edges: withoutNegotiatedPorts(edges), names: new Map() });
    const groupOf = (ip: string) => discovery.assignments.find((entry) => entry.ip === ip)!.groupId;
    const phones = Array.from({ length: 12 }, (_, i) => groupOf(`10.20.130.${i + 1}`));
    expect(new Set(phones).size).toBe(1);
    const raw = discoverGroups({ hosts, edges, names: new Map() });
    expect(new Set(Array.from({ length: 12 }, (_, i) => raw.assignments.find((entry) => entry.ip === `10.20.130.${i + 1}`)!.groupId)).size).toBeGreaterThan(1);
  });
});

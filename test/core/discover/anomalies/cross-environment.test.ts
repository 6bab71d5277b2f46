import { describe, expect, it } from 'vitest';
import { findAnomalies, type AnomalyEdge } from '../../../../src/core/discover/anomalies';
import { ENVIRONMENT_DEFAULTS, inferEnvironments } from '../../../../src/core/discover/anomalies/environment-inference';
import { HOUR, T0, edge, hostsOf, summary } from './fixtures';

/**
 * A small estate with two environments carved by address: dev in
 * 172.30/16, prod in 172.20/16. The dev application server D and the prod
 * database P carry no label; around them, three labelled hosts of each
 * environment, eight corporate workstations and a DNS server everyone uses.
 *
 *   dev web 172.30.1.1 ─► D :8443 ─► dev cache 172.30.1.2, dev queue 172.30.1.3
 *   prod apps 172.20.1.1–3 ─► P :5432 ◄─ D (two hours, 6 flows)
 */
const D = '172.30.1.10';
const P = '172.20.1.5';
const DNS = '10.0.0.53';
const devLabels = { '172.30.1.1': 'dev', '172.30.1.2': 'dev', '172.30.1.3': 'dev' };
const prodLabels = { '172.20.1.1': 'prod', '172.20.1.2': 'prod', '172.20.1.3': 'prod' };
const workstations = Array.from({ length: 8 }, (_, i) => `10.100.0.${i + 1}`);
const corpLabels = Object.fromEntries(workstations.map((ip) => [ip, 'corp']));

function estate(): AnomalyEdge[] {
  const edges = [
    edge('172.30.1.1', D, 8443, { flows: 100 }),
    edge(D, '172.30.1.2', 6379, { flows: 50 }),
    edge(D, '172.30.1.3', 9092, { flows: 50 }),
    ...Object.keys(prodLabels).map((app) => edge(app, P, 5432, { flows: 200 })),
    edge(D, P, 5432, { flows: 6, firstMs: T0 + 14 * HOUR, lastMs: T0 + 16 * HOUR }),
    ...workstations.map((ws) => edge(ws, '10.0.0.80', 3128, { flows: 30 })),
  ];
  // DNS: every host but the proxy uses it. 15 of the 17 hosts with peers: ≥ half, a hub.
  const clients = new Set(edges.flatMap((e) => [e.client, e.server]));
  clients.delete('10.0.0.80');
  for (const client of [...clients].sort()) edges.push(edge(client, DNS, 53, { proto: 17, flows: 20 }));
  return edges;
}

describe('cross-environment: by label or by behaviour and address', () => {
  it('a dev application server reaching a prod database, neither end labelled: peers and address blocks say the environments', () => {
    const edges = estate();
    const found = findAnomalies(edges, hostsOf(edges, { ...devLabels, ...prodLabels, ...corpLabels }));
    expect(summary(found)).toEqual([`cross-environment ${D} → ${P}`]);
    expect(found[0]).toMatchObject({ ports: [5432], flows: 6, edges: [`${D}|${P}|6|5432`] });
    // D's flows: 100 + 50 + 50 + 6 + 20 (DNS) = 226; 6 / 226 = 2.7%.
    expect(found[0]!.reason).toBe(
      'dev host reached a prod host; ' +
        'client: inferred dev from 3 of 3 other application peers dev and address block 172.30.0.0/16 (3 of 3 labelled hosts dev); ' +
        'server: inferred prod from 3 of 3 other application peers prod and address block 172.20.0.0/16 (3 of 3 labelled hosts prod); ' +
        'the client uses 1 prod server (3% of its flows) and the server has 1 dev client',
    );
  });

  it('peers alone suffice when the address plan says nothing', () => {
    // Everything renumbered into one /16 (10.5/16) that holds both environments: the block leans nowhere.
    const renumber = (ip: string): string => ip.replace(/^172\.30\.1\./, '10.5.30.').replace(/^172\.20\.1\./, '10.5.20.');
    const edges = estate().map((e) => ({ ...e, client: renumber(e.client), server: renumber(e.server) }));
    const labels = Object.fromEntries(Object.entries({ ...devLabels, ...prodLabels, ...corpLabels }).map(([ip, env]) => [renumber(ip), env]));
    const found = findAnomalies(edges, hostsOf(edges, labels));
    expect(summary(found)).toEqual([`cross-environment 10.5.30.10 → 10.5.20.5`]);
    expect(found[0]!.reason).toContain('client: inferred dev from 3 of 3 other application peers dev; server: inferred prod from 3 of 3 other application peers prod;');
  });

  it('the address block alone places hosts whose peers are unlabelled too (propagation)', () => {
    // Only two hosts of each block stay labelled… plus a third, unrelated, in each block, so each block still has 3.
    const labels = { '172.30.1.1': 'dev', '172.30.9.9': 'dev', '172.30.9.8': 'dev', '172.20.1.1': 'prod', '172.20.9.9': 'prod', '172.20.9.8': 'prod', ...corpLabels };
    const edges = estate();
    expect(summary(findAnomalies(edges, hostsOf(edges, labels)))).toEqual([`cross-environment ${D} → ${P}`]);
  });

  it('no label anywhere: environments have no names, nothing is a crossing', () => {
    const edges = estate();
    expect(findAnomalies(edges, hostsOf(edges))).toEqual([]);
  });

  it('a host whose peers are split between the environments is not inferred: monitoring of two dev and two prod servers is no crossing', () => {
    const M = '172.25.0.9';
    const edges = [...estate(), ...['172.30.1.1', '172.30.1.2', '172.20.1.1', '172.20.1.2'].map((server) => edge(M, server, 9100, { flows: 24 }))];
    // M's other peers for any one prod server: 2 dev and 1 prod, 67% < 90%.
    expect(summary(findAnomalies(edges, hostsOf(edges, { ...devLabels, ...prodLabels, ...corpLabels })))).toEqual([`cross-environment ${D} → ${P}`]);
  });

  it('shared infrastructure is no crossing: a shared-labelled server, or one most hosts use, in the prod block', () => {
    const edges = [
      ...estate(),
      // An NTP server in the prod block labelled shared, and a second DNS server in the prod block that every host uses.
      edge(D, '172.20.0.123', 123, { proto: 17 }),
      edge('172.30.1.1', '172.20.0.123', 123, { proto: 17 }),
    ];
    const everyone = [...new Set(edges.flatMap((e) => [e.client, e.server]))].filter((ip) => ip !== '10.0.0.80' && ip !== '172.20.0.123').sort();
    for (const host of everyone) edges.push(edge(host, '172.20.0.54', 53, { proto: 17 }));
    const labels = { ...devLabels, ...prodLabels, ...corpLabels, '172.20.0.123': 'shared' };
    // Only the database crossing remains.
    expect(summary(findAnomalies(edges, hostsOf(edges, labels)))).toEqual([`cross-environment ${D} → ${P}`]);
  });

  it('a prod server used by 3 dev hosts is a crossing for each; by 4 it is a service dev shares (crossMaxClients), one of them mislabelled prod or not', () => {
    const devClients = (count: number): AnomalyEdge[] =>
      Array.from({ length: count }, (_, i) => `172.30.2.${i + 1}`).flatMap((ip) => [
        edge(ip, '172.30.1.2', 6379, { flows: 40 }),
        edge(ip, '172.30.1.3', 9092, { flows: 40 }),
        edge(ip, P, 5432, { flows: 2 }),
      ]);
    const labels = { ...devLabels, ...prodLabels, ...corpLabels };
    // With D, 3 dev clients of P: each flagged.
    const three = [...estate(), ...devClients(2)];
    expect(summary(findAnomalies(three, hostsOf(three, labels)))).toEqual([
      `cross-environment ${D} → ${P}`,
      `cross-environment 172.30.2.1 → ${P}`,
      `cross-environment 172.30.2.2 → ${P}`,
    ]);
    const four = [...estate(), ...devClients(3)];
    expect(findAnomalies(four, hostsOf(four, labels))).toEqual([]);
    // One of the four filed under prod by mistake: its other peers are all dev, so it still counts as dev's.
    const mislabelled = { ...labels, '172.30.2.3': 'prod' };
    expect(findAnomalies(four, hostsOf(four, mislabelled))).toEqual([]);
  });

  it('a service spread over several prod servers, each used by one or two dev hosts, is shared once more than crossMaxClients dev hosts use it', () => {
    // Dev hosts ship logs to a prod-looking log store of two nodes (six prod hosts use it too), at most two
    // dev hosts per node: no node has more than crossMaxClients dev clients, but with four the service has.
    const logNodes = ['172.20.9.1', '172.20.9.2'];
    const shippers = (count: number): AnomalyEdge[] =>
      Array.from({ length: count }, (_, i) => `172.30.2.${i + 1}`).flatMap((ip, i) => [
        edge(ip, '172.30.1.2', 6379, { flows: 40 }),
        edge(ip, '172.30.1.3', 9092, { flows: 40 }),
        edge(ip, logNodes[i % 2]!, 9200, { flows: 5 }),
      ]);
    const prodHosts = Array.from({ length: 6 }, (_, i) => `172.20.0.${11 + i}`);
    const prodShippers = prodHosts.map((ip, i) => edge(ip, logNodes[i % 2]!, 9200, { flows: 30 }));
    const labels = { ...devLabels, ...prodLabels, ...corpLabels, ...Object.fromEntries(prodHosts.map((ip) => [ip, 'prod'])) };
    const three = [...estate(), ...prodShippers, ...shippers(3)];
    expect(summary(findAnomalies(three, hostsOf(three, labels))).filter((text) => text.includes('172.20.9.'))).toHaveLength(3);
    const four = [...estate(), ...prodShippers, ...shippers(4)];
    expect(summary(findAnomalies(four, hostsOf(four, labels))).filter((text) => text.includes('172.20.9.'))).toEqual([]);
  });

  it('refused attempts are crossings however many hosts make them: only answered use makes a shared service', () => {
    // D and 3 more dev hosts all refused by P: 4 dev clients, but none answered, so each counts.
    const refusedClients = Array.from({ length: 3 }, (_, i) => `172.30.2.${i + 1}`).flatMap((ip) => [
      edge(ip, '172.30.1.2', 6379, { flows: 40 }),
      edge(ip, '172.30.1.3', 9092, { flows: 40 }),
      edge(ip, P, 5432, { flows: 2, action: 2 }),
    ]);
    const labels = { ...devLabels, ...prodLabels, ...corpLabels };
    const edges = [...estate().map((e) => (e.client === D && e.server === P ? { ...e, action: 2 } : e)), ...refusedClients];
    expect(summary(findAnomalies(edges, hostsOf(edges, labels)))).toEqual([
      `cross-environment ${D} → ${P}`,
      `cross-environment 172.30.2.1 → ${P}`,
      `cross-environment 172.30.2.2 → ${P}`,
      `cross-environment 172.30.2.3 → ${P}`,
    ]);
  });

  it('labelled ends: a refused attempt counts; a labelled client whose other peers are mostly of the other environment is not judged a stray', () => {
    const labels = { ...devLabels, ...prodLabels, ...corpLabels, [D]: 'dev', [P]: 'prod' };
    const refused = estate().map((e) => (e.client === D && e.server === P ? { ...e, action: 2 } : e));
    const found = findAnomalies(refused, hostsOf(refused, labels));
    expect(summary(found)).toEqual([`cross-environment ${D} → ${P}`]);
    expect(found[0]!.reason).toMatch(/^dev host tried to reach \(refused\) a prod host; client: labelled dev, 3 of 3 other application peers dev; server: labelled prod, 3 of 3 other application peers prod;/);
    // D labelled prod by mistake: its other peers are all dev, 0 of 3 prod; its use of P is no crossing either.
    const wrong = estate();
    expect(findAnomalies(wrong, hostsOf(wrong, { ...labels, [D]: 'prod' }))).toEqual([]);
  });

  it('a crossing carries at most half of the client\'s flows (crossMaxFlowShare)', () => {
    // D's other flows: 100 + 50 + 50 + 20 = 220; 220 flows to P is exactly half of 440, 221 is more.
    const withFlows = (flows: number) => estate().map((e) => (e.client === D && e.server === P ? { ...e, flows } : e));
    const labels = { ...devLabels, ...prodLabels, ...corpLabels };
    expect(summary(findAnomalies(withFlows(220), hostsOf(withFlows(220), labels)))).toEqual([`cross-environment ${D} → ${P}`]);
    expect(findAnomalies(withFlows(221), hostsOf(withFlows(221), labels))).toEqual([]);
  });

  it('a workstation that uses prod servers and one dev server is a developer, not a stray; a dev batch host in the dev block is', () => {
    // W: unlabelled, serves no one, in a block of workstations that leans nowhere; its peers are the three prod apps.
    const W = '10.60.0.7';
    const B = '172.30.3.9';
    const edges = [
      ...estate(),
      ...Object.keys(prodLabels).map((app) => edge(W, app, 443, { flows: 40 })),
      edge(W, '172.30.1.1', 443, { flows: 4 }),
      // B: unlabelled, serves no one, uses the dev cache and queue, and once the prod database.
      edge(B, '172.30.1.2', 6379, { flows: 40 }),
      edge(B, '172.30.1.3', 9092, { flows: 40 }),
      edge(B, P, 5432, { flows: 2 }),
    ];
    const found = findAnomalies(edges, hostsOf(edges, { ...devLabels, ...prodLabels, ...corpLabels }));
    expect(summary(found)).toEqual([`cross-environment ${D} → ${P}`, `cross-environment ${B} → ${P}`]);
    expect(found[1]!.reason).toContain('client: inferred dev from 2 of 2 other application peers dev and address block 172.30.0.0/16');
  });

  it('never for a host outside the internal network, whatever its label', () => {
    const edges = [...estate(), edge('198.51.100.7', P, 5432, { flows: 1 })];
    const hosts = hostsOf(edges, { ...devLabels, ...prodLabels, ...corpLabels, '198.51.100.7': 'dev' });
    expect(summary(findAnomalies(edges, hosts))).toEqual([`cross-environment ${D} → ${P}`]);
  });

  it('backup, patch and software-distribution servers filed under prod that work with the servers of both environments are bridges: no vote, no prod server', () => {
    // A CMDB files infrastructure as prod. Backup pulls from every server, WSUS and SCCM serve every server:
    // counted as prod, their three votes outweighed D's three dev peers (3 of 6 < 90%), and as prod servers
    // D used three of them besides P (more than crossMaxServers).
    const BK = '172.20.0.40';
    const infra = ['172.20.0.20', '172.20.0.21'];
    const servers = [...Object.keys(devLabels), ...Object.keys(prodLabels), D, P];
    const edges = [...estate(), ...servers.map((server) => edge(BK, server, 6160, { flows: 3 })), ...servers.flatMap((client) => infra.map((server) => edge(client, server, 8530, { flows: 5 })))];
    const labels = { ...devLabels, ...prodLabels, ...corpLabels, [D]: 'dev', [P]: 'prod', [BK]: 'prod', [infra[0]!]: 'prod', [infra[1]!]: 'prod' };
    const hosts = hostsOf(edges, labels);
    const found = findAnomalies(edges, hosts);
    expect(summary(found)).toEqual([`cross-environment ${D} → ${P}`]);
    expect(found[0]!.reason).toContain('client: labelled dev, 3 of 3 other application peers dev; server: labelled prod, 3 of 3 other application peers prod; the client uses 1 prod server');
    const inference = inferEnvironments(edges, hosts, ENVIRONMENT_DEFAULTS);
    expect([BK, ...infra].map((host) => inference.isBridge(host))).toEqual([true, true, true]);
    // P has one dev client (the stray): that is no bridge, nor is a dev server with a prod client.
    expect([P, D, '172.30.1.2'].map((host) => inference.isBridge(host))).toEqual([false, false, false]);
  });

  it('a bridge needs most of one environment and two hosts or more of another: one stray or mislabelled peer does not make one', () => {
    // 172.20.1.1 labelled dev by mistake: P then has one dev peer (and D, unlabelled). Still no bridge.
    const edges = estate();
    const inference = inferEnvironments(edges, hostsOf(edges, { ...devLabels, ...prodLabels, ...corpLabels, '172.20.1.1': 'dev' }), ENVIRONMENT_DEFAULTS);
    expect(inference.isBridge(P)).toBe(false);
    // A monitoring host polling one of the three dev hosts and every prod host: most of prod, but one dev host.
    const M = '172.20.0.45';
    const polled = [...estate(), edge(M, '172.30.1.1', 161, { proto: 17 }), ...Object.keys(prodLabels).map((server) => edge(M, server, 161, { proto: 17 }))];
    const labels = { ...devLabels, ...prodLabels, ...corpLabels };
    expect(inferEnvironments(polled, hostsOf(polled, labels), ENVIRONMENT_DEFAULTS).isBridge(M)).toBe(false);
    // Two of the three dev hosts: a bridge.
    const more = [...polled, edge(M, '172.30.1.2', 161, { proto: 17 })];
    expect(inferEnvironments(more, hostsOf(more, labels), ENVIRONMENT_DEFAULTS).isBridge(M)).toBe(true);
  });

  it('a test estate with one labelled host: the directory and patch servers that serve it and most of prod are bridges, and its own database is no crossing', () => {
    // Only D carries its label (dev); its web server and cache are unlabelled, in the prod-leaning block.
    // Three prod-labelled infrastructure servers serve D and every prod server, as a CMDB files them.
    const infra = ['172.20.0.20', '172.20.0.21', '172.20.0.22'];
    const prodServers = Array.from({ length: 6 }, (_, i) => `172.20.2.${i + 1}`);
    const edges = [
      ...estate(),
      ...[D, ...Object.keys(prodLabels), ...prodServers].flatMap((client) => infra.map((server) => edge(client, server, 8530, { flows: 5 }))),
    ];
    const labels = { ...prodLabels, ...corpLabels, ...Object.fromEntries([...infra, ...prodServers].map((ip) => [ip, 'prod'])), [D]: 'dev' };
    const hosts = hostsOf(edges, labels);
    const inference = inferEnvironments(edges, hosts, ENVIRONMENT_DEFAULTS);
    expect(infra.map((host) => inference.isBridge(host))).toEqual([true, true, true]);
    // P serves three of twelve prod hosts: no bridge, and D's use of it stays the one crossing.
    expect(inference.isBridge(P)).toBe(false);
    expect(summary(findAnomalies(edges, hosts))).toEqual([`cross-environment ${D} → ${P}`]);
    // Were they prod servers, D would use four of them with P (more than crossMaxServers): the crossing would hide.
  });

  it('a server whose only application client is the crossing one is that client\'s own, whatever its label says; a refused attempt stays a crossing', () => {
    // The dev cache 172.30.1.2 filed under prod by mistake: D is its one client, so it is D's, not prod's.
    const edges = estate();
    const labels = { ...devLabels, ...prodLabels, ...corpLabels, '172.30.1.2': 'prod', [D]: 'dev' };
    expect(summary(findAnomalies(edges, hostsOf(edges, labels)))).toEqual([`cross-environment ${D} → ${P}`]);
    // The same pair refused: the cache did not serve D, so nothing makes it D's.
    const refused = edges.map((e) => (e.server === '172.30.1.2' ? { ...e, action: 2 } : e));
    expect(summary(findAnomalies(refused, hostsOf(refused, labels)))).toEqual([`cross-environment ${D} → ${P}`, `cross-environment ${D} → 172.30.1.2`]);
    // A second dev client of the cache, whose votes the cache's wrong label splits (one dev peer, one "prod"): placed
    // without the cache, it is dev, and the cache is still dev's own.
    const X = '172.30.1.20';
    const twoClients = [...edges, edge(X, '172.30.1.2', 6379, { flows: 30 }), edge(X, '172.30.1.3', 9092, { flows: 30 })];
    expect(summary(findAnomalies(twoClients, hostsOf(twoClients, labels)))).toEqual([`cross-environment ${D} → ${P}`]);
    // A shared monitoring host that scrapes a few hosts, the cache among them, uses it for no environment: the cache stays D's.
    const MONITOR = '10.0.0.61';
    const scraped = [...edges, ...['172.30.1.2', '172.30.1.3', '172.20.1.1'].map((server) => edge(MONITOR, server, 9100, { flows: 100 }))];
    expect(summary(findAnomalies(scraped, hostsOf(scraped, { ...labels, [MONITOR]: 'shared' })))).toEqual([`cross-environment ${D} → ${P}`]);
  });

  it('a jump host that administers both environments is an admin station; a dev server opening RDP to a prod server is a crossing', () => {
    const J = '172.20.0.50';
    const labels = { ...devLabels, ...prodLabels, ...corpLabels, [J]: 'prod' };
    const administered = [...estate(), ...['172.20.1.1', '172.20.1.2', '172.30.1.1', '172.30.1.2'].map((server) => edge(J, server, 3389, { flows: 2 }))];
    expect(summary(findAnomalies(administered, hostsOf(administered, labels)))).toEqual([`cross-environment ${D} → ${P}`]);
    // The same sessions from a jump host that administers only dev: its RDP into dev is a crossing (two dev servers).
    const devOnly = [...estate(), ...['172.30.1.1', '172.30.1.2'].map((server) => edge(J, server, 3389, { flows: 2 })), edge(J, '172.20.1.1', 8443, { flows: 50 }), edge(J, '172.20.1.2', 8443, { flows: 50 })];
    expect(summary(findAnomalies(devOnly, hostsOf(devOnly, labels)))).toEqual([`cross-environment ${J} → 172.30.1.1`, `cross-environment ${J} → 172.30.1.2`, `cross-environment ${D} → ${P}`]);
    // D opening one RDP session to a prod app server: D administers only prod, so it stays a crossing.
    const rdp = [...estate(), edge(D, '172.20.1.3', 3389, { flows: 1 })];
    expect(summary(findAnomalies(rdp, hostsOf(rdp, { ...labels })))).toEqual([`cross-environment ${D} → 172.20.1.3`, `cross-environment ${D} → ${P}`]);
  });
});

// Who uses what in the retailer's estate, when and how much: the model of a
// working chain, written from how retail IT is run, not from any engine
// table. traffic.ts turns these uses into connections.
//
// Data centre: Windows members talk to their DC (DNS, Kerberos, LDAP and
// CLDAP, SMB for SYSVOL at each group-policy refresh, RPC through the
// endpoint mapper to the DC's own dynamic port, NTP from port 123), poll
// Configuration Manager every two hours (the client setting raised from one
// to spare the WAN) and WSUS about daily; Linux servers resolve and sync
// time against the DCs and bind LDAP through sssd. Prometheus keeps a
// keep-alive connection to the exporter on every server (store servers
// included) and scrapes it every 30 s, so each is one long-lived flow.
// Application servers ship logs with Filebeat to the log collector, which
// also takes syslog from the shops' routers and switches and feeds
// Elasticsearch (nodes meshed on 9300, Kibana on 9200). The POS back end,
// the ERP's integration, replenishment and the web shop's API produce to or
// consume from the three Kafka brokers, which replicate among themselves on
// 9093. The POS back end's PostgreSQL primary streams to its standby; the
// ERP's application servers hold pooled connections to HANA and stay
// registered with the message server; the payment switch keeps its links to
// the HSM and to the acquirers open; e-commerce customers arrive from the
// internet in the evening.
//
// Shops: lanes open a session to their store server before opening and
// close it after closing, and call the payment switch for every card
// payment; handhelds look up stock on the store server; the store server
// posts sales to the POS back end every hour and at end of day, takes
// price pushes from it, keeps a Kafka producer open while trading, asks the
// pricing service for changes, prints shelf labels, pulls the night's price
// and product files over SFTP from the managed-file-transfer server, and
// behaves as a Windows member; the NVR records every camera over RTSP; the
// signage player fetches its playlist. Back-office PCs are used by people,
// each a little differently (see Person): logon, the file share, SAP GUI
// through the message server, the store server's back-office console, the
// web through the head-office proxy, Microsoft 365 straight out of the
// shop's broadband line.
//
// Administration: the jump hosts open RDP and SSH sessions to servers,
// store servers included, in office hours (and a few at night), and one of
// them runs a WinRM health check against every Windows server each night.
// A test runner drives the QA copies in office hours. Head-office desks
// (finance, the admins' own PCs and their way into the jump hosts) are not
// part of this model.
//
// Rare but legitimate, in both windows: the month-end report (an ERP
// application server reading the POS standby on 31 March and again on
// 1 April) and the weekly stock-count upload, which each shop sends on its
// own weekday. Drift in the replay: the web shop's API starts calling the
// pricing service's v2 port after a release, and one shop opens an extra
// lane.
import { atLocal, CAPTURE_END, CAPTURE_START, DAY, HOUR, localDay, localWeekday, MINUTE, TRAIN_UNTIL, type Zone } from './clock';
import { openingOnOrAfter, type Estate, type External, type Host, type Shop } from './estate';
import type { Random } from './random';
import { dynamicRpc, SVC, type Service } from './services';
import { always, eveningProfile, GENERATE_FROM, localHours, shopHours, tradeProfile, type Interval, type Shape, type Use, type Window } from './traffic';

/** How one back-office PC's user works. */
export interface Person {
  readonly pc: Host;
  readonly browsePerHour: number;
  readonly erpSessionsPerDay: number;
  readonly fileOpensPerHour: number;
  readonly consolePerHour: number;
  /** Leaves the PC on overnight (its background chatter goes on). */
  readonly leavesOn: boolean;
  readonly arrivesBefore: number;
  readonly leavesAfter: number;
}

export interface UseBook {
  readonly uses: Use[];
  readonly people: Person[];
}

const SHORT_HTTP: Shape = { up: 900, down: 6000, seconds: 0.8 };

export function bookUses(estate: Estate, rand: Random): UseBook {
  const uses: Use[] = [];
  const people: Person[] = [];
  const push = (use: Use): void => void uses.push(use);
  const dc = (role: string): Host[] => estate.dc(role);
  const one = (role: string): Host => dc(role)[0]!;
  const hq = estate.region.hqZone;
  const dcs = dc('dc');
  const preferredDc = (index: number): Host => dcs[index % dcs.length]!;
  const otherDc = (index: number): Host => dcs[(index + 1) % dcs.length]!;
  /** The DC's LSASS port (directory replication, most RPC) or its Netlogon port (the secure channel a logon uses). */
  const rpcPort = (domainController: Host, service: 'lsass' | 'netlogon' = 'lsass'): number => estate.dcRpcPorts.get(domainController)![service === 'lsass' ? 0 : 1]!;
  const office: Window = localHours(hq, 8, 18, (weekday) => weekday >= 1 && weekday <= 5);
  const dcHosts = estate.hosts.filter((h) => h.site.shop === null);
  const windowsServers = dcHosts.filter((h) => h.os === 'windows');
  const linuxServers = dcHosts.filter((h) => h.os === 'linux');

  // --- Windows and Linux membership -------------------------------------------------
  const windowsMember = (host: Host, index: number, window: Window, dnsPerHour: number): void => {
    const home = preferredDc(index);
    push({ client: host, server: home, services: [SVC.dns], when: { kind: 'random', window, perHour: dnsPerHour * 0.9 }, shape: { up: 45, down: 120, seconds: 0.02 } });
    push({ client: host, server: otherDc(index), services: [SVC.dns], when: { kind: 'random', window, perHour: dnsPerHour * 0.1 }, shape: { up: 45, down: 120, seconds: 0.02 } });
    push({ client: host, server: home, services: [SVC.ldap, SVC.smb], when: { kind: 'periodic', window, everyMinutes: 90, jitter: 0.33 }, shape: { up: 2500, down: 9000, seconds: 1.5 }, tag: 'group-policy' });
    push({ client: host, server: home, services: [SVC.ldapUdp, SVC.kerberos], when: { kind: 'periodic', window, everyMinutes: 480 }, shape: { up: 1500, down: 1800, seconds: 0.1 } });
    push({ client: host, server: home, services: [SVC.rpcMapper, dynamicRpc(rpcPort(home))], when: { kind: 'periodic', window, everyMinutes: 480 }, shape: { up: 1200, down: 900, seconds: 0.3 } });
    push({ client: host, server: home, services: [SVC.ntp], when: { kind: 'periodic', window, everyMinutes: 480, jitter: 0.05 }, shape: { up: 48, down: 48, seconds: 0.01, spread: 0 }, clientPort: 123 });
    push({ client: host, server: one('sccm'), services: [SVC.sccm], when: { kind: 'periodic', window, everyMinutes: 120 }, shape: { up: 3000, down: 7000, seconds: 1 } });
    push({ client: host, server: one('wsus'), services: [SVC.wsus], when: { kind: 'periodic', window, everyMinutes: 22 * 60, jitter: 0.1 }, shape: { up: 40_000, down: 180_000, seconds: 6 } });
  };
  const linuxMember = (host: Host, index: number): void => {
    const home = preferredDc(index);
    push({ client: host, server: home, services: [SVC.dns], when: { kind: 'random', window: always, perHour: 0.2 }, shape: { up: 45, down: 110, seconds: 0.02 } });
    push({ client: host, server: home, services: [SVC.ntp], when: { kind: 'periodic', window: always, everyMinutes: 120, jitter: 0.05 }, shape: { up: 48, down: 48, seconds: 0.01, spread: 0 } });
    push({ client: host, server: home, services: [SVC.ldap], when: { kind: 'periodic', window: always, everyMinutes: 360 }, shape: { up: 800, down: 4000, seconds: 0.4 } });
  };
  windowsServers.filter((h) => h.role !== 'dc').forEach((host, i) => windowsMember(host, i, always, 0.5));
  linuxServers.forEach((host, i) => linuxMember(host, i));

  // Domain controllers replicate with each other, forward outside names and keep time from the internet.
  for (const [a, b] of [[dcs[0]!, dcs[1]!], [dcs[1]!, dcs[0]!]] as const) {
    push({ client: a, server: b, services: [SVC.rpcMapper, dynamicRpc(rpcPort(b)), SVC.ldap, SVC.kerberos], when: { kind: 'periodic', window: always, everyMinutes: 30 }, shape: { up: 6000, down: 8000, seconds: 0.8 }, tag: 'ad-replication' });
    push({ client: a, server: b, services: [SVC.dns], when: { kind: 'random', window: always, perHour: 1 }, shape: { up: 45, down: 120, seconds: 0.02 } });
  }
  for (const controller of dcs) {
    for (const forwarder of estate.internet.dnsForwarders) push({ client: controller, server: forwarder, services: [SVC.dns], when: { kind: 'random', window: always, perHour: 2 }, shape: { up: 50, down: 140, seconds: 0.03 } });
  }
  for (const source of estate.internet.ntp) push({ client: dcs[0]!, server: source, services: [SVC.ntp], when: { kind: 'periodic', window: always, everyMinutes: 64, jitter: 0.02 }, shape: { up: 48, down: 48, seconds: 0.02, spread: 0 }, clientPort: 123 });

  // --- Monitoring and logging ------------------------------------------------------
  const monitoring = one('monitoring');
  const scraped = [...dcHosts.filter((h) => h.os !== 'appliance' && h !== monitoring), ...estate.shops.flatMap((s) => s.storeServers)];
  for (const host of scraped) {
    push({ client: monitoring, server: host, services: [host.os === 'windows' ? SVC.windowsExporter : SVC.nodeExporter], when: { kind: 'persistent', window: always, restartHours: [30, 90] }, shape: { up: 8, down: 900, seconds: 0 }, tag: 'prometheus' });
  }
  const collector = one('logcollector');
  const shippers = dcHosts.filter((h) => /^(qa-)?(pos-app|ecom-web|ecom-api|erp-app|repl-app|payment-switch)$/.test(h.role) || h.role === 'mft' || h.role === 'proxy');
  for (const host of shippers) push({ client: host, server: collector, services: [SVC.beats], when: { kind: 'persistent', window: always, restartHours: [24, 72] }, shape: { up: 350, down: 25, seconds: 0 }, tag: 'filebeat' });
  const es = dc('elasticsearch');
  for (const node of es.slice(0, 2)) push({ client: collector, server: node, services: [SVC.esHttp], when: { kind: 'persistent', window: always, restartHours: [24, 72] }, shape: { up: 2500, down: 180, seconds: 0 } });
  push({ client: one('kibana'), server: es[es.length - 1]!, services: [SVC.esHttp], when: { kind: 'persistent', window: always, restartHours: [24, 72] }, shape: { up: 60, down: 400, seconds: 0 } });
  for (const a of es) for (const b of es) if (a !== b) push({ client: a, server: b, services: [SVC.esTransport], when: { kind: 'persistent', window: always, restartHours: [40, 120] }, shape: { up: 500, down: 500, seconds: 0 }, tag: 'es-transport' });
  for (const jump of dc('jump')) push({ client: jump, server: one('kibana'), services: [SVC.kibana], when: { kind: 'random', window: office, perHour: 0.4 }, shape: { up: 30_000, down: 900_000, seconds: 300 } });

  // --- Kafka ----------------------------------------------------------------------
  const brokers = dc('kafka');
  for (const a of brokers) for (const b of brokers) if (a !== b) push({ client: a, server: b, services: [SVC.kafkaReplication], when: { kind: 'persistent', window: always, restartHours: [60, 200] }, shape: { up: 250, down: 12_000, seconds: 0 }, tag: 'kafka-replication' });
  const kafkaClients: [Host, number, number][] = [
    ...dc('pos-app').map((h): [Host, number, number] => [h, 2500, 300]),
    [dc('erp-app')[0]!, 120, 1800],
    ...dc('repl-app').map((h): [Host, number, number] => [h, 100, 1500]),
    ...dc('ecom-api').map((h): [Host, number, number] => [h, 600, 120]),
  ];
  for (const [client, up, down] of kafkaClients) for (const broker of brokers) push({ client, server: broker, services: [SVC.kafka], when: { kind: 'persistent', window: always, restartHours: [20, 80] }, shape: { up, down, seconds: 0 } });

  // --- POS back end -------------------------------------------------------------------
  const posApps = dc('pos-app');
  const [primary, standby] = dc('pos-db') as [Host, Host];
  for (const app of posApps) push({ client: app, server: primary, services: [SVC.postgres, SVC.postgres], when: { kind: 'persistent', window: always, restartHours: [20, 80] }, shape: { up: 1800, down: 4500, seconds: 0 } });
  push({ client: standby, server: primary, services: [SVC.postgres], when: { kind: 'persistent', window: always, restartHours: [80, 300] }, shape: { up: 40, down: 9000, seconds: 0 }, tag: 'streaming-replication' });
  // Month-end: finance's stock valuation reads the standby on the last day of the month, and is re-run after the close on the first.
  const monthEnd = [atLocal(localDay(Date.UTC(2026, 2, 31, 12), hq), 14 + rand.real(0, 0.5), hq), atLocal(localDay(Date.UTC(2026, 3, 1, 12), hq), 14 + rand.real(0, 0.5), hq)];
  push({ client: dc('erp-app')[0]!, server: standby, services: [SVC.postgres, SVC.postgres], when: { kind: 'at', times: monthEnd }, shape: { up: 60_000, down: 350_000_000, seconds: 1800, spread: 0.3 }, tag: 'month-end' });

  // --- Payments -------------------------------------------------------------------------
  const switches = dc('payment-switch');
  for (const sw of switches) {
    for (const hsm of dc('hsm')) push({ client: sw, server: hsm, services: [SVC.hsm, SVC.hsm], when: { kind: 'persistent', window: always, restartHours: [30, 120] }, shape: { up: 120, down: 110, seconds: 0 } });
    for (const acquirer of estate.internet.acquirers) push({ client: sw, server: acquirer, services: [SVC.https], when: { kind: 'persistent', window: always, restartHours: [6, 24] }, shape: { up: 150, down: 140, seconds: 0 }, tag: 'acquirer-link' });
  }

  // --- ERP ---------------------------------------------------------------------------------
  const erpApps = dc('erp-app');
  const ascs = one('erp-ascs');
  for (const app of erpApps) {
    push({ client: app, server: one('erp-db'), services: [SVC.hanaSql, SVC.hanaSql], when: { kind: 'persistent', window: always, restartHours: [40, 160] }, shape: { up: 3000, down: 12_000, seconds: 0 } });
    push({ client: app, server: ascs, services: [SVC.sapMessage], when: { kind: 'persistent', window: always, restartHours: [60, 200] }, shape: { up: 40, down: 40, seconds: 0 } });
  }
  const pick = <T>(items: readonly T[]) => (r: Random): T => r.pick(items);
  for (const app of dc('repl-app')) push({ client: app, server: pick(erpApps), services: [SVC.sapGateway], when: { kind: 'periodic', window: always, everyMinutes: 60 }, shape: { up: 20_000, down: 150_000, seconds: 12 } });
  push({ client: erpApps[0]!, server: one('mft'), services: [SVC.sftp], when: { kind: 'at', times: nightly(hq, 23.1, 20, rand.fork('erp-mft')) }, shape: { up: 60_000_000, down: 40_000, seconds: 90, spread: 0.3 }, tag: 'product-master-export' });
  push({ client: one('repl-app'), server: one('mft'), services: [SVC.sftp], when: { kind: 'at', times: nightly(hq, 0.5, 15, rand.fork('repl-mft')) }, shape: { up: 25_000_000, down: 30_000, seconds: 45, spread: 0.3 }, tag: 'price-file-export' });

  // --- E-commerce --------------------------------------------------------------------------
  const webs = dc('ecom-web');
  const apis = dc('ecom-api');
  const customerRand = rand.fork('customers');
  const customerPeak = customerRand.real(40, 90);
  push({ client: (r) => estate.internet.customer(r), server: pick(webs), services: [SVC.https, SVC.https], when: { kind: 'random', window: always, perHour: customerPeak, profile: eveningProfile(hq) }, shape: { up: 4000, down: 120_000, seconds: 25, spread: 0.9 }, tag: 'customers' });
  for (const web of webs) for (const api of apis) push({ client: web, server: api, services: [SVC.ecomApi], when: { kind: 'persistent', window: always, restartHours: [10, 40] }, shape: { up: 900, down: 3500, seconds: 0 } });
  for (const api of apis) {
    push({ client: api, server: one('ecom-db'), services: [SVC.mysql, SVC.mysql], when: { kind: 'persistent', window: always, restartHours: [10, 40] }, shape: { up: 700, down: 2600, seconds: 0 } });
    for (const repl of dc('repl-app')) push({ client: api, server: repl, services: [SVC.pricing], when: { kind: 'persistent', window: always, restartHours: [10, 40] }, shape: { up: 200, down: 800, seconds: 0 } });
    push({ client: api, server: pick(switches), services: [SVC.paymentSwitch], when: { kind: 'random', window: always, perHour: customerPeak / 25, profile: eveningProfile(hq) }, shape: { up: 1400, down: 900, seconds: 1.4 }, tag: 'card-not-present' });
    // Drift: the v2 pricing endpoint goes live with the replay day's release.
    const release = TRAIN_UNTIL + Math.round(rand.real(6, 11) * HOUR);
    for (const repl of dc('repl-app')) push({ client: api, server: repl, services: [SVC.pricingV2], when: { kind: 'persistent', window: (from, to) => clipTo(from, to, release, Infinity), restartHours: [10, 40] }, shape: { up: 150, down: 600, seconds: 0 }, tag: 'drift-pricing-v2' });
  }

  // --- Replenishment ------------------------------------------------------------------------
  for (const app of dc('repl-app')) push({ client: app, server: one('repl-db'), services: [SVC.mssql, SVC.mssql], when: { kind: 'persistent', window: always, restartHours: [20, 80] }, shape: { up: 900, down: 5000, seconds: 0 } });

  // --- Shared services ------------------------------------------------------------------------
  const proxies = dc('proxy');
  const web = estate.internet.web;
  const browse = (r: Random): External => r.pick(web);
  push({ client: one('wsus'), server: proxies[0]!, services: [SVC.proxy], when: { kind: 'at', times: nightly(hq, 3, 30, rand.fork('wsus-sync')) }, shape: { up: 200_000, down: 400_000_000, seconds: 900, spread: 0.4 }, tag: 'wsus-sync' });
  push({ client: one('sccm'), server: proxies[0]!, services: [SVC.proxy], when: { kind: 'at', times: nightly(hq, 3.5, 30, rand.fork('sccm-sync')) }, shape: { up: 50_000, down: 80_000_000, seconds: 300, spread: 0.4 } });
  for (const proxy of proxies) push({ client: proxy, server: browse, services: [SVC.https], when: { kind: 'random', window: always, perHour: 2 }, shape: { up: 5000, down: 2_000_000, seconds: 30 }, tag: 'proxy-out' });

  // --- QA ---------------------------------------------------------------------------------------
  const runner = one('qa-test-runner');
  push({ client: runner, server: one('qa-ecom-web'), services: [SVC.https], when: { kind: 'random', window: office, perHour: 10 }, shape: SHORT_HTTP, tag: 'qa-tests' });
  push({ client: runner, server: one('qa-pos-app'), services: [SVC.posBackend], when: { kind: 'random', window: office, perHour: 5 }, shape: SHORT_HTTP, tag: 'qa-tests' });
  push({ client: runner, server: one('qa-payment-switch'), services: [SVC.paymentSwitch], when: { kind: 'random', window: office, perHour: 3 }, shape: { up: 1400, down: 900, seconds: 1.2 }, tag: 'qa-tests' });
  const qaPersistent: [string, string, Service][] = [
    ['qa-ecom-web', 'qa-ecom-api', SVC.ecomApi],
    ['qa-ecom-api', 'qa-ecom-db', SVC.mysql],
    ['qa-ecom-api', 'qa-kafka', SVC.kafka],
    ['qa-pos-app', 'qa-pos-db', SVC.postgres],
    ['qa-pos-app', 'qa-kafka', SVC.kafka],
    ['qa-erp-app', 'qa-erp-db', SVC.hanaSql],
    ['qa-repl-app', 'qa-kafka', SVC.kafka],
  ];
  for (const [client, server, service] of qaPersistent) push({ client: one(client), server: one(server), services: [service], when: { kind: 'persistent', window: always, restartHours: [10, 48] }, shape: { up: 60, down: 150, seconds: 0 } });
  push({ client: one('qa-repl-app'), server: one('qa-erp-app'), services: [SVC.sapGateway], when: { kind: 'periodic', window: always, everyMinutes: 120 }, shape: { up: 8000, down: 40_000, seconds: 6 } });

  // --- Remote administration from the jump hosts --------------------------------------------
  bookAdministration(estate, rand.fork('admin'), push, office);

  // --- Shops ------------------------------------------------------------------------------------
  const shopRand = rand.fork('shops');
  for (const shop of estate.shops) bookShop(estate, shop, shopRand.fork(shop.code), push, people, { preferredDc, rpcPort, windowsMember, browse, posApps, switches, erpApps, ascs, brokers, proxies });
  return { uses, people };
}

interface ShopContext {
  readonly preferredDc: (index: number) => Host;
  readonly rpcPort: (dc: Host, service?: 'lsass' | 'netlogon') => number;
  readonly windowsMember: (host: Host, index: number, window: Window, dnsPerHour: number) => void;
  readonly browse: (r: Random) => External;
  readonly posApps: readonly Host[];
  readonly switches: readonly Host[];
  readonly erpApps: readonly Host[];
  readonly ascs: Host;
  readonly brokers: readonly Host[];
  readonly proxies: readonly Host[];
}

function bookShop(estate: Estate, shop: Shop, rand: Random, push: (use: Use) => void, people: Person[], ctx: ShopContext): void {
  const one = (role: string): Host => estate.dc(role)[0]!;
  const trading = shopHours(shop);
  const profile = tradeProfile(shop);
  const pickOf = <T>(items: readonly T[]) => (r: Random): T => r.pick(items);
  const dcIndex = shop.preferredDc;
  const home = ctx.preferredDc(dcIndex);
  const leader = ctx.brokers[shop.index % ctx.brokers.length]!;

  for (const server of shop.storeServers) {
    ctx.windowsMember(server, dcIndex, always, 0.3);
    push({ client: server, server: pickOf(ctx.posApps), services: [SVC.posBackend], when: { kind: 'periodic', window: shopHours(shop, 0, 0.5), everyMinutes: 60 }, shape: { up: 120_000 * shop.busyness, down: 4000, seconds: 2 }, tag: 'sales-post' });
    push({ client: server, server: pickOf(ctx.posApps), services: [SVC.posBackend], when: { kind: 'at', times: closings(shop, 0.75, rand) }, shape: { up: 2_500_000 * shop.busyness, down: 20_000, seconds: 40 }, tag: 'end-of-day' });
    for (const app of ctx.posApps) push({ client: app, server, services: [SVC.storeApi], when: { kind: 'periodic', window: trading, everyMinutes: 120 * ctx.posApps.length, jitter: 0.3 }, shape: { up: 30_000, down: 2000, seconds: 1.5 }, tag: 'price-push' });
    push({ client: server, server: leader, services: [SVC.kafka], when: { kind: 'persistent', window: shopHours(shop, 0.25, 0.5), restartHours: [30, 40] }, shape: { up: 140, down: 30, seconds: 0 }, tag: 'kafka-producer' });
    const bootstrap = ctx.brokers[(shop.index + 1) % ctx.brokers.length]!;
    push({ client: server, server: bootstrap, services: [SVC.kafka], when: { kind: 'at', times: openings(shop, -0.25, rand) }, shape: { up: 400, down: 2500, seconds: 540 }, tag: 'kafka-bootstrap' });
    push({ client: server, server: pickOf(estate.dc('repl-app')), services: [SVC.pricing], when: { kind: 'periodic', window: trading, everyMinutes: 180 }, shape: { up: 800, down: 25_000, seconds: 1 }, tag: 'price-check' });
    push({ client: server, server: one('mft'), services: [SVC.sftp], when: { kind: 'at', times: nightly(shop.zone, 2, 90, rand) }, shape: { up: 30_000, down: 18_000_000, seconds: 40, spread: 0.5 }, tag: 'price-files' });
    push({ client: server, server: one('fileserver'), services: [SVC.smb], when: { kind: 'at', times: closings(shop, 1.1, rand) }, shape: { up: 900_000, down: 30_000, seconds: 8 }, tag: 'daily-reports' });
    push({ client: server, server: shop.labelPrinter, services: [SVC.rawPrint], when: { kind: 'random', window: trading, perHour: 0.4 }, shape: { up: 40_000, down: 200, seconds: 3 } });
    push({ client: server, server: shop.labelPrinter, services: [SVC.rawPrint], when: { kind: 'at', times: openings(shop, -0.5, rand) }, shape: { up: 400_000, down: 400, seconds: 30 }, tag: 'morning-labels' });
    // The weekly stock count goes to the ERP's inbound interface on the shop's own weekday.
    push({ client: server, server: ctx.erpApps[shop.index % ctx.erpApps.length]!, services: [SVC.sapIcm], when: { kind: 'at', times: closings(shop, 0.75, rand).filter((t) => localWeekday(t, shop.zone) === shop.stockCountWeekday) }, shape: { up: 6_000_000, down: 8000, seconds: 25 }, tag: 'stock-count' });
  }

  for (const lane of shop.lanes) {
    const laneIndex = Number(lane.ip.split('.')[3]);
    for (const server of shop.storeServers) {
      push({ client: lane, server, services: [SVC.storeApi], when: { kind: 'persistent', window: shopHours(shop, 0.4, 0.25), restartHours: [30, 40] }, shape: { up: 45 * shop.busyness, down: 70, seconds: 0 }, tag: 'lane-session' });
      push({ client: lane, server, services: [SVC.storeDepot], when: { kind: 'at', times: openings(shop, -1.25, rand) }, shape: { up: 900, down: rand.chance(0.2) ? 45_000_000 : 30_000, seconds: 4 }, tag: 'lane-updates' });
      push({ client: lane, server, services: [SVC.ntp], when: { kind: 'periodic', window: shopHours(shop, 1, 0), everyMinutes: 480 }, shape: { up: 48, down: 48, seconds: 0.01, spread: 0 } });
    }
    // While the store server is down the lanes trade offline and retry every few minutes.
    const [dead, spare] = shop.storeServers;
    if (dead !== undefined && spare !== undefined) {
      push({ client: lane, server: dead, services: [SVC.storeApi], when: { kind: 'periodic', window: (from, to) => intersectAll(shopHours(shop, 0.5, 0.5)(from, to), dead.to, spare.from), everyMinutes: 5, jitter: 0.2 }, shape: { up: 0, down: 0, seconds: 0 }, outcome: 'unanswered', ignoreServerLife: true, tag: 'retry-dead-server' });
    }
    const cardsPerHour = (rand.real(8, 20) * shop.busyness * 0.65) / 11;
    const primary = ctx.switches[laneIndex % ctx.switches.length]!;
    const secondary = ctx.switches[(laneIndex + 1) % ctx.switches.length]!;
    push({ client: lane, server: primary, services: [SVC.paymentSwitch], when: { kind: 'random', window: trading, perHour: cardsPerHour * 0.97, profile }, shape: { up: 1300, down: 950, seconds: 1.3, spread: 0.4 }, tag: 'card-payment' });
    push({ client: lane, server: secondary, services: [SVC.paymentSwitch], when: { kind: 'random', window: trading, perHour: cardsPerHour * 0.03, profile }, shape: { up: 1300, down: 950, seconds: 1.3, spread: 0.4 }, tag: 'card-payment' });
  }

  for (const handheld of shop.handhelds) {
    for (const server of shop.storeServers) push({ client: handheld, server, services: [SVC.storeApi], when: { kind: 'random', window: trading, perHour: rand.real(0.4, 1.2), profile }, shape: { up: 3000, down: 25_000, seconds: 60 }, tag: 'handheld' });
  }

  if (shop.nvr !== null) {
    for (const camera of shop.cameras) push({ client: shop.nvr, server: camera, services: [SVC.rtsp], when: { kind: 'persistent', window: always, restartHours: [24, 90] }, shape: { up: 40, down: rand.pick([250_000, 380_000, 500_000]), seconds: 0 }, tag: 'cctv' });
  }
  push({ client: shop.signage, server: one('signage'), services: [SVC.signage], when: { kind: 'periodic', window: always, everyMinutes: 180 }, shape: { up: 1200, down: 9000, seconds: 1 }, tag: 'signage-poll' });
  push({ client: shop.signage, server: one('signage'), services: [SVC.signage], when: { kind: 'at', times: nightly(shop.zone, 3.5, 60, rand) }, shape: { up: 5000, down: 60_000_000, seconds: 120 }, tag: 'signage-content' });

  // Network devices: syslog to the collector, time from the DCs (IOS talks NTP from 123).
  const syslogPort = (): number => rand.int(49152, 65000);
  push({ client: shop.router, server: one('logcollector'), services: [SVC.syslog], when: { kind: 'random', window: always, perHour: 0.8 }, shape: { up: 180, down: 0, seconds: 0.5 }, outcome: 'unanswered', clientPort: syslogPort(), tag: 'syslog' });
  push({ client: shop.switch, server: one('logcollector'), services: [SVC.syslog], when: { kind: 'random', window: always, perHour: 0.4 }, shape: { up: 160, down: 0, seconds: 0.5 }, outcome: 'unanswered', clientPort: syslogPort(), tag: 'syslog' });
  for (const device of [shop.router, shop.switch]) push({ client: device, server: home, services: [SVC.ntp], when: { kind: 'periodic', window: always, everyMinutes: 360, jitter: 0.05 }, shape: { up: 48, down: 48, seconds: 0.01, spread: 0 }, clientPort: 123 });

  // Back office: the people.
  for (const pc of shop.backOffice) {
    const person: Person = {
      pc,
      browsePerHour: rand.weighted([[0.2, 0.3], [0.7, 0.4], [1.8, 0.3]]) * rand.real(0.7, 1.3),
      erpSessionsPerDay: rand.weighted([[0, 0.25], [1, 0.4], [2, 0.25], [3, 0.1]]),
      fileOpensPerHour: rand.real(0.05, 0.6),
      consolePerHour: rand.real(0.2, 0.8),
      leavesOn: rand.chance(0.3),
      arrivesBefore: rand.real(0.25, 1),
      leavesAfter: rand.real(0, 0.75),
    };
    people.push(person);
    bookPerson(estate, shop, person, rand.fork(pc.name), push, ctx);
  }
}

function bookPerson(estate: Estate, shop: Shop, person: Person, rand: Random, push: (use: Use) => void, ctx: ShopContext): void {
  const one = (role: string): Host => estate.dc(role)[0]!;
  const pc = person.pc;
  const work = shopHours(shop, person.arrivesBefore, person.leavesAfter);
  const on = person.leavesOn ? always : work;
  const home = ctx.preferredDc(shop.preferredDc);
  ctx.windowsMember(pc, shop.preferredDc, on, 0.4);
  // The morning logon: tickets, the user's policy, the home drive.
  const logons = work(GENERATE_FROM, CAPTURE_END).map(([s]) => s + rand.int(2, 20) * MINUTE);
  push({ client: pc, server: home, services: [SVC.kerberos, SVC.ldap, SVC.smb, SVC.rpcMapper, dynamicRpc(ctx.rpcPort(home, 'netlogon'))], when: { kind: 'at', times: logons }, shape: { up: 4000, down: 12_000, seconds: 1.2 }, tag: 'logon' });
  push({ client: pc, server: one('fileserver'), services: [SVC.smb], when: { kind: 'random', window: work, perHour: person.fileOpensPerHour }, shape: { up: 20_000, down: 600_000, seconds: 90 }, tag: 'file-share' });
  push({ client: pc, server: shop.storeServers[0]!, services: [SVC.storeApi], when: { kind: 'random', window: work, perHour: person.consolePerHour }, shape: { up: 8000, down: 90_000, seconds: 240 }, tag: 'back-office-console' });
  if (shop.storeServers[1] !== undefined) push({ client: pc, server: shop.storeServers[1], services: [SVC.storeApi], when: { kind: 'random', window: work, perHour: person.consolePerHour }, shape: { up: 8000, down: 90_000, seconds: 240 }, tag: 'back-office-console' });
  push({ client: pc, server: shop.labelPrinter, services: [SVC.rawPrint], when: { kind: 'random', window: work, perHour: 0.1 }, shape: { up: 30_000, down: 150, seconds: 3 } });
  if (shop.nvr !== null) push({ client: pc, server: shop.nvr, services: [SVC.nvrWeb], when: { kind: 'random', window: work, perHour: 0.04 }, shape: { up: 20_000, down: 3_000_000, seconds: 300 }, tag: 'nvr-review' });

  // The web through the head-office proxy (each request the proxy makes outside follows), mail straight out of the shop's line.
  const proxy = ctx.proxies[shop.index % ctx.proxies.length]!;
  push({ client: pc, server: proxy, services: [SVC.proxy], when: { kind: 'random', window: work, perHour: person.browsePerHour }, shape: { up: 3000, down: 400_000, seconds: 40, spread: 1 }, tag: 'browsing' });
  push({ client: proxy, server: ctx.browse, services: [SVC.https], when: { kind: 'random', window: work, perHour: person.browsePerHour }, shape: { up: 3000, down: 400_000, seconds: 40, spread: 1 }, tag: 'proxy-out' });
  const mailbox = rand.pick(estate.internet.o365);
  push({ client: pc, server: mailbox, services: [SVC.https], when: { kind: 'persistent', window: work, restartHours: [6, 12] }, shape: { up: 60, down: 350, seconds: 0 }, tag: 'o365-mapi' });
  push({ client: pc, server: (r) => r.pick(estate.internet.o365), services: [SVC.https], when: { kind: 'random', window: work, perHour: 0.6 }, shape: { up: 4000, down: 60_000, seconds: 20 }, tag: 'o365' });

  // SAP GUI: ask the message server for the logon group, then a session on the application server it names.
  const sessions: [number, Host][] = [];
  if (person.erpSessionsPerDay > 0) {
    for (const [s, e] of work(GENERATE_FROM, CAPTURE_END)) {
      const count = Math.min(person.erpSessionsPerDay, rand.poisson(person.erpSessionsPerDay));
      for (let i = 0; i < count; i++) sessions.push([Math.round(s + rand.float() * (e - s) * 0.85), rand.pick(ctx.erpApps)]);
    }
  }
  push({ client: pc, server: ctx.ascs, services: [SVC.sapMessage], when: { kind: 'at', times: sessions.map(([t]) => t) }, shape: { up: 300, down: 500, seconds: 0.1 }, tag: 'sap-logon' });
  for (const app of ctx.erpApps) {
    const times = sessions.filter(([, chosen]) => chosen === app).map(([t]) => t + rand.int(300, 1500));
    push({ client: pc, server: app, services: [SVC.sapDispatcher], when: { kind: 'at', times }, shape: { up: 250_000, down: 2_500_000, seconds: 2400 }, tag: 'sap-gui' });
  }
}

/** RDP and SSH sessions from the jump hosts, and the nightly WinRM health check. */
function bookAdministration(estate: Estate, rand: Random, push: (use: Use) => void, office: Window): void {
  const jumps = estate.dc('jump');
  const dcServers = estate.hosts.filter((h) => h.site.shop === null && h.role !== 'jump');
  const windows = dcServers.filter((h) => h.os === 'windows');
  const linux = dcServers.filter((h) => h.os === 'linux');
  const storeServers = estate.shops.flatMap((s) => s.storeServers);
  const sessionTimes = (perHour: number, window: Window): number[] => {
    const out: number[] = [];
    for (const [s, e] of window(CAPTURE_START, CAPTURE_END)) for (let n = rand.poisson((perHour * (e - s)) / HOUR); n > 0; n--) out.push(Math.round(s + rand.float() * (e - s)));
    return out.sort((a, b) => a - b);
  };
  const alive = (host: Host, t: number): boolean => t >= host.from && t + HOUR < host.to;
  const session = (jump: Host, targets: readonly Host[], service: Service, times: number[], shape: Shape): void => {
    for (const t of times) {
      const live = targets.filter((h) => alive(h, t));
      if (live.length === 0) continue;
      push({ client: jump, server: rand.pick(live), services: [service], when: { kind: 'at', times: [t] }, shape, admin: true, tag: `admin-${service.name}` });
    }
  };
  for (const jump of jumps) {
    session(jump, [...windows, ...windows, ...storeServers], SVC.rdp, sessionTimes(1.2, office), { up: 400_000, down: 6_000_000, seconds: 1200 });
    session(jump, linux, SVC.ssh, sessionTimes(1.5, office), { up: 40_000, down: 300_000, seconds: 600 });
    session(jump, [...windows, ...storeServers], SVC.rdp, sessionTimes(0.1, always), { up: 300_000, down: 4_000_000, seconds: 900 });
  }
  // The health-check script: Invoke-Command against every Windows server, head office and shops, at two in the morning.
  const checker = jumps[jumps.length - 1]!;
  const nights = nightly(estate.region.hqZone, 2, 10, rand);
  for (const target of [...windows, ...storeServers]) {
    push({ client: checker, server: target, services: [SVC.winrm], when: { kind: 'at', times: nights.map((t) => t + rand.int(0, 25) * MINUTE) }, shape: { up: 6000, down: 9000, seconds: 2 }, admin: true, tag: 'admin-winrm' });
  }
}

/** One instant per local night at `hour` (fractional, may pass midnight), spread over `spreadMinutes`. */
export function nightly(zone: Zone, hour: number, spreadMinutes: number, rand: Random): number[] {
  const out: number[] = [];
  for (let day = localDay(CAPTURE_START, zone) - 1; day <= localDay(CAPTURE_END, zone); day++) out.push(atLocal(day, hour + (rand.float() * spreadMinutes) / 60, zone));
  return out;
}

/** Each trading day's closing time plus `after` hours (a few minutes' scatter). */
function closings(shop: Shop, after: number, rand: Random): number[] {
  return shopHours(shop)(GENERATE_FROM - DAY, CAPTURE_END)
    .map(([, e]) => e + Math.round((after + rand.real(0, 0.2)) * HOUR))
    .filter((t) => t > GENERATE_FROM);
}

/** Each trading day's opening time plus `offset` hours (negative: before opening). */
function openings(shop: Shop, offset: number, rand: Random): number[] {
  const out: number[] = [];
  for (let t = openingOnOrAfter(shop, GENERATE_FROM - DAY); t < CAPTURE_END + DAY; t = openingOnOrAfter(shop, t + HOUR)) {
    out.push(t + Math.round((offset + rand.real(0, 0.1)) * HOUR));
    if (out.length > 10) break;
  }
  return out;
}

function clipTo(from: number, to: number, start: number, end: number): Interval[] {
  const s = Math.max(from, start);
  const e = Math.min(to, end);
  return e > s ? [[s, e]] : [];
}

function intersectAll(intervals: Interval[], start: number, end: number): Interval[] {
  return intervals.flatMap(([s, e]) => clipTo(s, e, start, end));
}


// Who uses what in the hospital: every recurring client→server use with its
// service, rate and rhythm, and the long-lived sessions (SCCM client
// notification, HL7 links, AlwaysOn, NFS mounts, monitors, door
// controllers) that Suricata logs once, when they end. Some uses stay
// inside one clinic (a desk printing to the printer down the corridor) and
// are declared all the same: the sensor at the data-centre core never sees
// them (estate.ts `visible`), which is the point.
import { visible, type Dept, type Device, type Estate } from './estate';
import type { Rand } from './random';
import type { Rhythm } from './rhythm';
import { onPort, S, type Service } from './services';

export interface Use {
  readonly client: Device;
  /** Candidates; one is picked per connection. */
  readonly servers: readonly Device[];
  /** `spread`: any of them each time (DNS round-robin, load balancing); `primary`: the first nine times in ten (a preferred DC). */
  readonly pick: 'spread' | 'primary';
  readonly service: Service;
  /** Mean connections per hour at full activity. */
  readonly perHour: number;
  readonly rhythm: Rhythm;
  /** Whose opening hours and shifts the rhythm follows (default: the client's site). */
  readonly rhythmSite?: Device['site'];
  /** Remote administration (adminEdges). */
  readonly admin: boolean;
  /** Share of connections through the proxy that are CONNECT tunnels (TLS inside HTTP). */
  readonly tunnelled: number;
  readonly visible: boolean;
}

export interface Session {
  readonly client: Device;
  readonly server: Device;
  readonly service: Service;
  /** Mean hours a connection stays up before it is torn down and reopened. */
  readonly meanHours: number;
  /** Payload bytes per hour each way while up. */
  readonly upPerHour: number;
  readonly downPerHour: number;
  /** Only while the client's site is open (a clinic desk switched off at night). */
  readonly officeHours: boolean;
  /** Share of pick-ups at capture start whose first packet seen is the server's. */
  readonly serverTalksFirst: number;
  /** Hours at which the connection is known to drop (a patch reboot of one end). */
  readonly breaks: readonly number[];
}

export interface UseBook {
  readonly uses: Use[];
  readonly sessions: Session[];
}

const DEPT_RHYTHM: Record<Dept, Rhythm> = { ed: 'ward', nursing: 'ward', lab: 'ward', radiology: 'daytime', admin: 'office', it: 'business' };
const LOGON_RHYTHM: Record<Dept, Rhythm> = { ed: 'logon', nursing: 'logon', lab: 'ward', radiology: 'daytime', admin: 'office', it: 'business' };

/** Per department: proxy, EHR, file shares, printing, PACS viewer (connections per hour at full activity). */
const DEPT_RATES: Record<Dept, { proxy: number; ehr: number; files: number; print: number; pacsWeb: number }> = {
  ed: { proxy: 1.2, ehr: 4, files: 0.4, print: 0.6, pacsWeb: 0.8 },
  nursing: { proxy: 1, ehr: 4, files: 0.4, print: 0.6, pacsWeb: 0.15 },
  lab: { proxy: 1, ehr: 1.5, files: 0.4, print: 0.6, pacsWeb: 0 },
  radiology: { proxy: 1.5, ehr: 1.5, files: 0.4, print: 0.3, pacsWeb: 1.5 },
  admin: { proxy: 5, ehr: 2.5, files: 1.5, print: 1, pacsWeb: 0 },
  it: { proxy: 4, ehr: 0.2, files: 1.5, print: 0.2, pacsWeb: 0.05 },
};

export function bookUses(estate: Estate, rand: Rand, reboots: { readonly agSecondary: number; readonly nas: number }): UseBook {
  const uses: Use[] = [];
  const sessions: Session[] = [];
  const use = (client: Device, servers: readonly Device[], service: Service, perHour: number, rhythm: Rhythm, extra: { pick?: Use['pick']; rhythmSite?: Device['site']; admin?: boolean; tunnelled?: number } = {}): void => {
    if (servers.length === 0 || perHour <= 0) return;
    uses.push({
      client,
      servers,
      pick: extra.pick ?? 'spread',
      service,
      perHour,
      rhythm,
      rhythmSite: extra.rhythmSite,
      admin: extra.admin ?? false,
      tunnelled: extra.tunnelled ?? 0,
      visible: servers.some((server) => visible(client, server)),
    });
  };
  const session = (client: Device, server: Device, service: Service, meanHours: number, upPerHour: number, downPerHour: number, extra: Partial<Pick<Session, 'officeHours' | 'serverTalksFirst' | 'breaks'>> = {}): void => {
    sessions.push({ client, server, service, meanHours, upPerHour, downPerHour, officeHours: extra.officeHours ?? false, serverTalksFirst: extra.serverTalksFirst ?? 0.3, breaks: extra.breaks ?? [] });
  };

  const dcs = estate.role('dc');
  const [dc1, dc2] = [dcs[0]!, dcs[1]!];
  // AD sites: the hospital and odd-numbered clinics prefer DC01, the others DC02.
  const preferredDcs = (device: Device): Device[] => {
    const index = estate.clinics.indexOf(device.site);
    return index >= 0 && index % 2 === 1 ? [dc2, dc1] : [dc1, dc2];
  };
  const rpc = onPort({ ...S.epmap, ending: 'rst', up: 1800, down: 1600, seconds: 0.3 }, estate.dcRpcPort, 'dc-rpc');
  const proxy = onPort(S.proxy, estate.proxyPort);
  const sccm = estate.one('sccm');
  const wsus = estate.one('wsus');
  const files = estate.role('file');
  const printServer = estate.one('print');
  const proxies = estate.role('proxy');
  const ehrWeb = estate.role('ehr-web');
  const ehrApp = estate.role('ehr-app');
  const listener = estate.one('ehr-db-listener');
  const primary = estate.one('ehr-db-primary');
  const secondary = estate.one('ehr-db-secondary');
  const pacsCores = estate.role('pacs-core');
  const pacsWeb = estate.role('pacs-web');
  const nas = estate.one('pacs-storage');
  const hl7 = estate.one('hl7');
  const lis = estate.one('lis');
  const ris = estate.one('ris');
  const monitoring = estate.one('monitoring');
  const syslog = estate.one('syslog');
  const jumps = estate.role('jump');
  const callManagers = estate.role('callmanager');
  const testWeb = estate.one('ehr-test-web');
  const testApp = estate.one('ehr-test-app');
  const testDb = estate.one('ehr-test-db');
  const dhcp = estate.one('dhcp');

  // ---- Every domain-joined Windows machine ---------------------------------
  const domainMember = (device: Device, scale: number, rhythm: Rhythm, logon: Rhythm): void => {
    const dc = preferredDcs(device);
    use(device, dc, S.dns, 4 * scale, rhythm, { pick: 'primary' });
    use(device, dc, S.kerberos, 0.5 * scale, logon, { pick: 'primary' });
    use(device, dc, S.kerberosUdp, 0.15 * scale, logon, { pick: 'primary' });
    use(device, dc, S.ldap, 0.35 * scale, logon, { pick: 'primary' });
    use(device, dc, S.cldap, 0.25 * scale, logon, { pick: 'primary' });
    use(device, dc, S.smb, 0.3 * scale, logon, { pick: 'primary' });
    use(device, dc, S.epmap, 0.12 * scale, rhythm, { pick: 'primary' });
    use(device, dc, rpc, 0.12 * scale, rhythm, { pick: 'primary' });
    use(device, dc, S.ntp, 0.1, rhythm, { pick: 'primary' });
    use(device, [sccm], S.sccmPolicy, 0.4 * scale, rhythm);
    use(device, [wsus], S.wsus, 0.05, rhythm);
  };

  // ---- Workstations ---------------------------------------------------------
  for (const ws of estate.workstations()) {
    const dept = ws.dept!;
    const rates = DEPT_RATES[dept];
    const rhythm = DEPT_RHYTHM[dept];
    // Hospital desks stay on around the clock (machine traffic never stops); clinic desks are switched off at closing time.
    const machine: Rhythm = ws.site.kind === 'clinic' ? 'ward' : 'steady';
    domainMember(ws, 1, machine, LOGON_RHYTHM[dept]);
    use(ws, proxies, proxy, rates.proxy, rhythm, { tunnelled: 0.85 });
    use(ws, ehrWeb, S.ehrWeb, rates.ehr, rhythm);
    use(ws, files, S.fileShare, rates.files, rhythm);
    if (dept === 'ed' || dept === 'nursing') use(ws, [files[1] ?? files[0]!], S.smb, 0.4, LOGON_RHYTHM[dept]); // roaming profiles at each logon
    if (ws.site.printsDirect) {
      const local = estate.atSite(ws.site, 'printer').filter((printer) => printer.dept === dept);
      use(ws, local.length > 0 ? local : estate.atSite(ws.site, 'printer'), S.jetdirect, rates.print, rhythm);
    } else {
      use(ws, [printServer], S.spooler, rates.print, rhythm);
      use(ws, [printServer], S.epmap, rates.print / 3, rhythm);
    }
    use(ws, pacsWeb, S.https, rates.pacsWeb, rhythm);
    if (dept === 'radiology') {
      use(ws, [ris], S.https, 1.5, rhythm);
      use(ws, pacsCores, S.dicomQr, 0.8, rhythm, { pick: 'primary' });
      // The PACS pushes priors and new studies to the reading stations (C-STORE to the workstation).
      use(pacsCores[0]!, [ws], S.dicomPush, 0.9, rhythm, { rhythmSite: ws.site });
    }
    if (dept === 'lab') use(ws, [lis], S.lisClient, 2, rhythm);
    if (dept === 'it') {
      use(ws, jumps, S.rdp, 0.5, 'business', { admin: true });
      use(ws, [testWeb], S.ehrWeb, 0.6, 'business');
      use(ws, [monitoring], S.https, 0.4, 'business');
    }
    // The SCCM client keeps a notification channel open to its management point from boot to shutdown.
    session(ws, sccm, S.sccmNotify, ws.site.kind === 'clinic' ? 24 : rand.real(8, 30), 1500, 1400, { officeHours: ws.site.kind === 'clinic', serverTalksFirst: 0.4 });
  }

  // ---- Servers ---------------------------------------------------------------
  const dcServers = estate.devices.filter((d) => d.kind === 'server');
  for (const server of dcServers) {
    if (server.role === 'dc' || server.role === 'ehr-db-listener') continue;
    if (server.windows) domainMember(server, 0.5, 'steady', 'steady');
    else {
      const appliance = ['vpn', 'callmanager', 'voicegw'].includes(server.role);
      use(server, preferredDcs(server), S.dns, appliance ? 0.4 : 1.6, 'steady', { pick: 'primary' });
      use(server, preferredDcs(server), S.ntp, 0.1, 'steady', { pick: 'primary' });
      if (server !== syslog) use(server, [syslog], S.syslog, appliance ? 1 : 1.5, 'steady');
    }
  }
  // Domain controllers: replication with each other, forwarding outside names, the PDC's time source.
  for (const [a, b] of [
    [dc1, dc2],
    [dc2, dc1],
  ] as const) {
    use(a, [b], S.ldap, 0.8, 'steady');
    use(a, [b], S.epmap, 0.4, 'steady');
    use(a, [b], rpc, 1, 'steady');
    use(a, [b], S.kerberos, 0.3, 'steady');
    use(a, [b], S.smb, 0.2, 'steady');
    use(a, [b], S.dns, 0.4, 'steady');
    use(a, estate.publicHosts('dns-forwarder'), S.dnsForward, 5, 'users', { pick: 'primary' });
    use(a, [sccm], S.sccmPolicy, 0.2, 'steady');
  }
  use(dc1, estate.publicHosts('ntp'), S.ntpPublic, 0.5, 'steady');
  use(dhcp, dcs, S.dnsUpdate, 2.5, 'users', { pick: 'primary' });

  // Patching, endpoint management, files.
  use(wsus, estate.publicHosts('microsoft'), S.https, 1.2, 'steady');
  use(wsus, estate.publicHosts('microsoft'), S.http, 0.4, 'steady');
  use(sccm, dcs, S.ldap, 0.8, 'steady');
  use(sccm, [wsus], S.wsus, 0.3, 'steady');
  use(sccm, [files[0]!], S.fileShare, 0.15, 'steady');

  // Monitoring: SNMP to every server, network device and printer, pings to the network, synthetic checks of the portals.
  const polled = estate.devices.filter((d) => (d.kind === 'server' && d !== monitoring && d.role !== 'ehr-db-listener') || d.kind === 'netdev' || d.kind === 'printer');
  for (const target of polled) use(monitoring, [target], S.snmp, target.kind === 'printer' ? 1.5 : 2.5, 'steady');
  for (const target of estate.devices.filter((d) => d.kind === 'netdev')) use(monitoring, [target], S.ping, 2, 'steady');
  use(monitoring, ehrWeb, S.https, 2, 'steady');
  use(monitoring, pacsWeb, S.https, 1.5, 'steady');
  use(monitoring, dcs, S.ldap, 0.2, 'steady');

  // Network devices: syslog, time, traps.
  for (const device of estate.devices.filter((d) => d.kind === 'netdev')) {
    use(device, [syslog], S.syslog, device.site === estate.dcSite ? 3 : 1.5, 'steady');
    use(device, preferredDcs(device), S.ntp, 0.1, 'steady', { pick: 'primary' });
    use(device, [monitoring], S.snmpTrap, 0.08, 'steady');
  }

  // Printing: the print server feeds every printer it queues for, and polls their status.
  for (const printer of estate.devices.filter((d) => d.kind === 'printer')) {
    const direct = printer.site.printsDirect;
    const port = rand.chance(0.25) ? S.ipp : S.jetdirect;
    use(printServer, [printer], port, direct ? 0.15 : printer.site.kind === 'clinic' ? 1 : 1.5, DEPT_RHYTHM[printer.dept ?? 'nursing'], { rhythmSite: printer.site });
    use(printServer, [printer], S.snmp, 1, 'steady');
  }

  // Web proxy upstream, and its user authentication.
  for (const p of proxies) {
    use(p, estate.publicHosts('web'), S.upstream, 38 / proxies.length, 'users');
    use(p, estate.publicHosts('web'), S.http, 5 / proxies.length, 'users');
    use(p, dcs, S.kerberos, 1.5, 'users', { pick: 'primary' });
    use(p, dcs, S.ldap, 1, 'users', { pick: 'primary' });
  }

  // ---- EHR -------------------------------------------------------------------
  for (const web of ehrWeb) use(web, ehrApp, S.ehrApp, 12, 'users');
  for (const app of ehrApp) {
    use(app, [listener], S.mssql, 2, 'steady');
    use(app, files, S.fileShare, 0.6, 'users');
    use(app, estate.publicHosts('ehr-vendor'), S.https, 0.3, 'steady');
    session(app, hl7, S.mllpOut, 6, 400_000, 30_000);
    session(hl7, app, S.mllpEhr, 6, 500_000, 35_000);
  }
  // AlwaysOn: each replica keeps a connection to the other's mirroring endpoint; the cluster heartbeats over UDP 3343.
  session(primary, secondary, S.agEndpoint, 400, 180_000_000, 4_000_000, { breaks: [reboots.agSecondary], serverTalksFirst: 0.1 });
  session(secondary, primary, S.agEndpoint, 400, 2_000_000, 1_000_000, { breaks: [reboots.agSecondary], serverTalksFirst: 0.5 });
  session(primary, secondary, S.clusterHeartbeat, 400, 220_000, 220_000, { breaks: [reboots.agSecondary], serverTalksFirst: 0.5 });
  use(primary, [files[0]!], S.fileShare, 0.25, 'steady');
  use(testWeb, [testApp], S.ehrApp, 1.5, 'business');
  use(testApp, [testDb], S.mssql, 0.8, 'steady');

  // ---- Imaging and results ----------------------------------------------------
  for (const core of pacsCores) session(core, nas, S.nfs, 30, 900_000_000, 300_000_000, { breaks: [reboots.nas], serverTalksFirst: 0.5 });
  for (const viewer of pacsWeb) {
    use(viewer, pacsCores, S.dicomQr, 4, 'users', { pick: 'primary' });
    use(viewer, dcs, S.ldap, 0.5, 'users', { pick: 'primary' });
  }
  session(ris, hl7, S.mllpIn, 8, 300_000, 20_000);
  session(hl7, ris, S.mllpIn, 8, 250_000, 18_000);
  session(hl7, lis, S.mllpIn, 8, 250_000, 18_000);
  use(lis, [hl7], S.mllpIn, 8, 'ward'); // the LIS opens a connection per result message

  // ---- Clinical devices, voice, doors ------------------------------------------
  for (const modality of estate.devices.filter((d) => d.kind === 'modality')) {
    const type = modality.role.slice('modality-'.length);
    const studies = { ct: 1.5, mr: 0.8, us: 1.2, dx: 2 }[type] ?? 1;
    const rhythm: Rhythm = type === 'ct' && modality.site === estate.main ? 'ward' : 'daytime';
    const sizes = { ct: 180_000_000, mr: 120_000_000, us: 25_000_000, dx: 30_000_000 }[type] ?? 40_000_000;
    use(modality, pacsCores, { ...S.dicomStore, up: sizes }, studies, rhythm, { pick: 'primary' });
    use(modality, [ris], S.worklist, 3, rhythm);
    use(modality, preferredDcs(modality), S.ntp, 0.1, 'steady', { pick: 'primary' });
    use(pacsCores[0]!, [modality], S.dicomCommit, studies * 0.7, rhythm, { rhythmSite: modality.site });
  }
  const pumpGw = estate.one('pump-gw');
  const monitorGw = estate.one('monitor-gw');
  const acs = estate.one('access');
  for (const pump of estate.devices.filter((d) => d.kind === 'pump')) use(pump, [pumpGw], S.pumpGateway, 3, 'steady');
  for (const monitor of estate.devices.filter((d) => d.kind === 'monitor')) session(monitor, monitorGw, S.monitorGateway, 4, 9_000_000, 200_000, { serverTalksFirst: 0.2 });
  for (const reader of estate.devices.filter((d) => d.kind === 'badge')) session(reader, acs, S.badge, 10, 30_000, 20_000, { serverTalksFirst: 0.5 });
  for (const phone of estate.devices.filter((d) => d.kind === 'phone')) use(phone, [callManagers[1] ?? callManagers[0]!, callManagers[0]!], S.sip, 1.2, 'steady', { pick: 'primary' });
  if (callManagers.length > 1) use(callManagers[1]!, [callManagers[0]!], S.cucmRepl, 1, 'steady');

  // The nightly backups, the jump hosts' administration sessions, calls, DHCP and
  // remote clinicians are scheduled in traffic-special.ts.
  return { uses, sessions };
}

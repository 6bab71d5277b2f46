// The traffic that is not a steady rate: nightly backups (the backup server
// is the client, the data comes back to it), the jump hosts' administration
// sessions, phone calls (RTP between phones on random even ports, peer to
// peer, plus SIP through the call manager), DHCP (relayed by each VLAN's
// router at boot, renewed straight from the device), remote clinicians on
// the VPN pool, the rare but legitimate jobs that must show in training and
// in the replay, the day-3 drift, and one clinic's stale DNS setting.
import { US_PER_HOUR, US_PER_MINUTE, US_PER_SECOND, type Calendar } from './clock';
import { connect, type Connection } from './connection';
import { ipAt, visible, type Device, type Estate } from './estate';
import type { Rand } from './random';
import { activity } from './rhythm';
import { onPort, S, type Service } from './services';

export interface Special {
  readonly seen: Connection[];
  readonly unseen: Connection[];
}

export interface SpecialPlan {
  /** Hours (of the capture) at which the rare jobs run: one in training, one in the replay. */
  readonly quarterlyReport: readonly [number, number];
  readonly radiologistReview: readonly [number, number];
  readonly eprescribingFrom: number;
}

export function planSpecial(rand: Rand): SpecialPlan {
  return {
    quarterlyReport: [24 + rand.int(9, 15), 48 + rand.int(9, 15)],
    radiologistReview: [rand.int(20, 22), 48 + rand.int(19, 22)],
    eprescribingFrom: 48 + rand.int(4, 9),
  };
}

export function drawSpecial(estate: Estate, calendar: Calendar, hours: number, plan: SpecialPlan, rand: Rand): Special {
  const seen: Connection[] = [];
  const unseen: Connection[] = [];
  const at = (hour: number, minutes = 60): number => calendar.startUs + hour * US_PER_HOUR + Math.floor(rand.float() * minutes * US_PER_MINUTE);
  const emit = (service: Service, client: Device, server: Device, startUs: number, options: Parameters<typeof connect>[7] = {}): Connection | null => {
    const hour = Math.floor((startUs - calendar.startUs) / US_PER_HOUR);
    const clientIp = ipAt(client, hour);
    const serverIp = ipAt(server, hour);
    if (clientIp === undefined || serverIp === undefined || startUs >= calendar.endUs) return null;
    const conn = connect(rand, service, client, clientIp, server, serverIp, startUs, options);
    (visible(client, server) ? seen : unseen).push(conn);
    return conn;
  };
  const dcs = estate.role('dc');
  const dhcp = estate.one('dhcp');
  const days = Math.ceil(hours / 24);

  // ---- Nightly backups: every server's agent, once a night in the 01:00–05:00 window.
  const backupServer = estate.one('backup');
  const agent = onPort(S.backupAgent, estate.backup.port);
  const big = new Set(['file', 'ehr-db-primary', 'ehr-db-secondary', 'ehr-test-db', 'pacs-core', 'lis']);
  const targets = estate.devices.filter((d) => d.kind === 'server' && d !== backupServer && !['ehr-db-listener', 'vpn', 'callmanager', 'voicegw', 'pacs-storage'].includes(d.role));
  for (let day = 0; day < days; day++) {
    for (const target of targets) {
      const down = big.has(target.role) ? rand.around(4e9, 0.5) : rand.around(2.5e8, 0.7);
      emit(agent, backupServer, target, at(day * 24 + rand.int(1, 4)), { down, up: rand.around(90_000, 0.4), seconds: down / rand.real(60e6, 110e6), outcome: 'closed' });
    }
  }

  // ---- Remote administration from the jump hosts, working days, a little on-call at night.
  const jumps = estate.role('jump');
  const administered = estate.devices.filter((d) => (d.kind === 'server' && !['ehr-db-listener', 'jump'].includes(d.role)) || d.kind === 'netdev');
  for (let day = 0; day < days; day++) {
    for (const jump of jumps) {
      const sessions = rand.poisson(10);
      for (let k = 0; k < sessions; k++) {
        const target = rand.pick(administered);
        const hour = day * 24 + (rand.chance(0.9) ? rand.int(8, 17) : rand.int(0, 23));
        if (target.windows) {
          if (rand.chance(0.7)) emit(S.rdp, jump, target, at(hour), { admin: true, seconds: rand.around(1500, 0.8) });
          else for (let burst = rand.int(1, 4), start = at(hour); burst > 0; burst--, start += Math.floor(rand.real(2, 40) * US_PER_SECOND)) emit(S.winrm, jump, target, start, { admin: true });
        } else emit(S.ssh, jump, target, at(hour), { admin: true, seconds: rand.around(700, 0.8) });
      }
    }
  }

  // ---- Phone calls: media flows between the two ends, signalling through the call manager.
  const phones = estate.devices.filter((d) => d.kind === 'phone');
  const callManagers = estate.role('callmanager');
  const cm = callManagers[1] ?? callManagers[0]!;
  const gateway = estate.one('voicegw');
  const rtp: Service = { ...S.sip, key: 'rtp', port: 0, app: 'failed', clientPort: null, segment: 172 };
  const rtpPort = (): number => 2 * rand.int(8192, 16383);
  for (let hour = 0; hour < hours; hour++) {
    for (const phone of phones) {
      const level = activity('ward', hour % 24, phone.site);
      for (let calls = rand.poisson(0.7 * level); calls > 0; calls--) {
        const start = at(hour);
        const seconds = Math.max(8, rand.around(110, 0.9));
        const kind = rand.weighted([
          ['external', 0.55],
          ['same-site', 0.28],
          ['other-site', 0.17],
        ] as const);
        const peers = kind === 'same-site' ? phones.filter((p) => p.site === phone.site && p !== phone) : phones.filter((p) => p.site !== phone.site);
        const peer = kind === 'external' ? gateway : rand.pick(peers.length > 0 ? peers : phones.filter((p) => p !== phone));
        const inbound = kind === 'external' && rand.chance(0.4);
        const [caller, callee] = inbound ? [peer, phone] : [phone, peer];
        // Signalling: the caller's INVITE to the call manager, which invites the callee (or the PSTN gateway over the trunk).
        if (caller.kind === 'phone') emit(S.sip, caller, cm, start - 2 * US_PER_SECOND);
        if (callee.kind === 'phone') emit(S.sip, cm, callee, start - US_PER_SECOND);
        if (kind === 'external') emit(S.sipTrunk, cm, gateway, start - US_PER_SECOND, { seconds });
        const packets = Math.round(seconds * 50);
        const port = rtpPort();
        const media = { ...rtp, up: packets * 172, down: packets * 172 };
        emit(media, caller, callee, start, { port, clientPort: rtpPort(), seconds, up: media.up, down: media.down, outcome: 'closed' });
        emit({ ...media, key: 'rtcp' }, caller, callee, start + 3 * US_PER_SECOND, { port: port + 1, clientPort: port + 1, seconds, up: Math.round(seconds / 5) * 90, down: Math.round(seconds / 5) * 90, outcome: 'closed' });
      }
    }
  }

  // ---- DHCP: relayed by the VLAN's router when a device boots; short biomed leases renewed unicast.
  const relay = (device: Device, hourStart: number): void => {
    const octet = Number(ipAt(device, Math.floor((hourStart - calendar.startUs) / US_PER_HOUR))?.split('.')[2] ?? '0');
    const gw = estate.gatewayOf(device.site, octet);
    if (gw !== undefined) emit(S.dhcpRelay, gw, dhcp, hourStart, { outcome: 'closed' });
  };
  for (const ws of estate.workstations()) {
    for (let day = 0; day < days; day++) {
      if (ws.site.kind === 'clinic') relay(ws, calendar.startUs + (day * 24 + ws.site.open) * US_PER_HOUR - Math.floor(rand.real(5, 45) * US_PER_MINUTE));
      else if (rand.chance(0.08)) relay(ws, at(day * 24 + rand.int(0, 23)));
    }
    for (const lease of ws.leases.slice(1)) relay(ws, calendar.startUs + lease.from * US_PER_HOUR + Math.floor(rand.real(0, 5) * US_PER_MINUTE));
  }
  for (const device of estate.devices.filter((d) => d.kind === 'pump' || d.kind === 'monitor')) {
    // Lease 4 h: renewal at T1 = 2 h, straight from the device to the server (UDP 68 → 67).
    for (let t = calendar.startUs + Math.floor(rand.real(0, 2) * US_PER_HOUR); t < calendar.endUs; t += 2 * US_PER_HOUR + Math.floor(rand.real(-60, 60) * US_PER_SECOND)) emit(S.dhcpRenew, device, dhcp, t, { outcome: 'closed' });
    for (let day = 0; day < days; day++) if (rand.chance(0.4)) relay(device, at(day * 24 + rand.int(6, 20)));
  }

  // ---- Remote clinicians over the VPN: a pool address per session.
  const vpn = estate.one('vpn');
  const ehrWeb = estate.role('ehr-web');
  const pacsWeb = estate.role('pacs-web');
  const files = estate.role('file');
  const busyUntil = new Map<Device, number>();
  const vpnSession = (hour: number, radiologist: boolean): void => {
    const start = at(hour);
    const free = estate.vpnPool.filter((d) => (busyUntil.get(d) ?? 0) < start);
    if (free.length === 0) return;
    const client = rand.pick(free);
    const minutes = rand.real(20, 120);
    const end = start + Math.floor(minutes * US_PER_MINUTE);
    busyUntil.set(client, end + 10 * US_PER_MINUTE);
    emit(S.ldaps, vpn, dcs[0]!, start - 5 * US_PER_SECOND);
    const within = (): number => start + Math.floor(rand.float() * (end - start));
    for (let n = rand.int(3, 9); n > 0; n--) emit(S.dns, client, dcs[0]!, within());
    for (let n = rand.int(3, 12); n > 0; n--) emit(S.ehrWeb, client, rand.pick(ehrWeb), within());
    if (rand.chance(0.15)) emit(S.fileShare, client, rand.pick(files), within());
    if (radiologist) for (let n = rand.int(4, 10); n > 0; n--) emit(S.https, client, rand.pick(pacsWeb), within(), { down: rand.around(9e6, 0.6), seconds: rand.around(120, 0.5) });
  };
  for (let hour = 0; hour < hours; hour++) {
    const local = hour % 24;
    const rate = local >= 7 && local < 19 ? 0.7 : local >= 19 && local < 23 ? 1.1 : 0.15;
    for (let n = rand.poisson(rate); n > 0; n--) vpnSession(hour, false);
  }
  for (const hour of plan.radiologistReview) vpnSession(hour, true);

  // ---- The quarterly billing report, run against the readable secondary from a billing desk.
  const billing = estate.workstations('admin').filter((ws) => ws.site === estate.main);
  const secondary = estate.one('ehr-db-secondary');
  for (const hour of plan.quarterlyReport) {
    const desk = rand.pick(billing);
    for (let n = rand.int(2, 4), start = at(hour, 30); n > 0; n--, start += Math.floor(rand.real(1, 6) * US_PER_MINUTE)) emit(S.mssql, desk, secondary, start, { down: rand.around(40e6, 0.5), seconds: rand.around(240, 0.4) });
  }

  // ---- Drift in the replay: the EHR starts sending prescriptions to the national e-prescribing service.
  const eprescribing = estate.publicHosts('eprescribing')[0]!;
  for (const app of estate.role('ehr-app')) {
    for (let hour = plan.eprescribingFrom; hour < hours; hour++) {
      for (let n = rand.poisson(1.2 * activity('users', hour % 24, estate.dcSite)); n > 0; n--) emit(S.https, app, eprescribing, at(hour));
    }
  }

  // ---- Devices that try the internet directly and meet the firewall: the SYNs leave the core, nothing comes back.
  // (A modality's remote-service agent phoning its vendor, a desk's telemetry when proxy auto-detection fails.)
  const vendorHome = new Map<string, Device>();
  const web = estate.publicHosts('web');
  for (const modality of estate.devices.filter((d) => d.kind === 'modality')) {
    const maker = modality.register.manufacturer;
    if (!vendorHome.has(maker)) vendorHome.set(maker, { ...web[0]!, name: `${maker} remote service`, leases: [{ ip: `${rand.pick([62, 80, 194])}.${rand.int(1, 254)}.${rand.int(0, 255)}.${rand.int(2, 254)}`, from: 0, to: hours }] });
    const home = vendorHome.get(maker)!;
    for (let hour = 0; hour < hours; hour++) for (let n = rand.poisson(0.25); n > 0; n--) emit(S.https, modality, home, at(hour), { outcome: 'unanswered', legit: false });
  }
  const telemetry = web.slice(0, 3);
  for (const ws of rand.shuffle(estate.workstations()).slice(0, 6)) {
    for (let hour = 0; hour < hours; hour++) for (let n = rand.poisson(0.15); n > 0; n--) emit(S.https, ws, rand.pick(telemetry), at(hour), { outcome: 'unanswered', legit: false });
  }

  // ---- A clinic whose DHCP scope still hands out a retired DC as second DNS server: queries nobody answers.
  const staleClinic = estate.clinics[estate.clinics.length - 1]!;
  const retired: Device = { ...dcs[0]!, name: 'retired-dc', truth: null, server: false, leases: [{ ip: '10.10.10.10', from: 0, to: hours }] };
  for (const ws of estate.workstations().filter((d) => d.site === staleClinic)) {
    for (let hour = 0; hour < hours; hour++) {
      for (let n = rand.poisson(0.25 * activity('ward', hour % 24, ws.site)); n > 0; n--) emit(S.dns, ws, retired, at(hour), { outcome: 'unanswered', legit: false });
    }
  }
  return { seen, unseen };
}

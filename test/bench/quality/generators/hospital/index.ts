// A hospital group seen by one Suricata sensor, written from scratch for
// the quality harness (nothing shared with src/, no engine port tables).
//
// The estate (estate.ts): a main hospital whose campus holds the data
// centre, and 3–5 outlying clinics over the WAN. In the data centre: two
// domain controllers, DHCP, WSUS, SCCM, file and print servers, a backup
// server that pulls from every server's agent, a monitoring server polling
// SNMP, a syslog collector, one or two web proxies, two jump hosts, the VPN
// concentrator, the call managers and PSTN gateway, the access-control
// server; the EHR in production (2–4 web servers behind DNS round-robin,
// 2–4 application servers, an MSSQL AlwaysOn pair reached through its
// listener address) and a small test copy only IT uses; PACS (archive on
// DICOM 104/11112, web viewer, NAS), the HL7 engine between the lab and
// radiology systems and the EHR, the infusion-pump and patient-monitor
// gateways. At every site: desks per department in per-department VLANs
// (ED, radiology, lab, billing, nursing; IT in the hospital), modalities,
// pumps, monitors, printers, phones, door controllers. Who uses what is in
// uses.ts and traffic-special.ts, the planted attacks in attacks.ts.
//
// What is awkward on purpose, because a real capture is (eve.ts has the
// sensor's side of it):
// - the sensor sits at the data-centre core: what stays inside one site
//   (a clinic desk printing down the corridor, phone-to-phone calls within
//   a clinic, the infected pump's sweep of its own VLAN) is never seen;
// - DHCP arrives from the VLAN routers' relay addresses (67↔67) and only
//   the biomed devices' short-lease renewals come from the devices; a few
//   desks come back with a new address during the capture;
// - the production database is reached on its AlwaysOn listener address;
//   the replicas' endpoint connections, the NFS mounts, HL7 links and
//   monitor sessions are long-lived, picked up mid-stream at the start
//   (sometimes server-first) and flushed at shutdown at the end;
// - phones talk RTP to each other on random even ports, so each call is a
//   new "service"; SIP register/invite exchanges fold into one UDP flow;
// - one clinic still queries a retired DC that the CMDB still lists;
// - a time zone by seed, shifts at 07:00/15:00/23:00, billing office hours,
//   clinics' own opening hours, backups in the small hours;
// - rare but legitimate uses in both windows (the quarterly billing report
//   against the readable secondary, a radiologist reviewing from the VPN,
//   the nightly backups) and a little drift in the replay (a new
//   ultrasound, the EHR's new e-prescribing link).
//
// Files: one eve.json per local day (`eve-2026-03-02.json`, NDJSON: flow
// events plus a few dns, alert and stats events), the CMDB export and the
// biomed list (inventory.ts). Learn on the first two days (trainUntilMs at
// 48 h, local midnight), replay the third.
//
// Truth (truth.ts): "dc|<service>" for the shared servers, "prod|ehr|web",
// "prod|ehr|app", "prod|ehr|db", "test|ehr|…", "clinic|ws-<department>"
// (one per department across sites), "clinic|modality", "clinic|pump",
// "clinic|monitor", "clinic|printer", "clinic|phone", "clinic|badge",
// "net|device", "net|gateway", "remote|vpn-client". Admin edges: RDP, SSH
// and WinRM from the jump hosts and RDP from IT desks to the jump hosts.
import type { Scenario, ScenarioGenerator, ScenarioParams } from '../../scenario';
import { plantAttacks } from './attacks';
import { chooseCalendar, DAYS, localDate, US_PER_SECOND } from './clock';
import type { Connection } from './connection';
import { buildEstate, moveAddress, type Estate } from './estate';
import { EveWriter, mergeUdp, type DnsAnswer } from './eve';
import { writeInventories } from './inventory';
import { Rand } from './random';
import { BACKUP_AGENT_PORTS } from './services';
import { drawSpecial, planSpecial } from './traffic-special';
import { drawSessions, drawUses } from './traffic';
import { buildTruth } from './truth';
import { bookUses } from './uses';

const HOURS = DAYS * 24;

/** Everything a build produces, for the tests (the scenario plus what the sensor did not see). */
export interface HospitalBuild {
  readonly scenario: Scenario;
  readonly estate: Estate;
  /** Connections that stayed inside one site. */
  readonly unseen: readonly Connection[];
  /** The planted attacks' connections the sensor saw. */
  readonly planted: readonly Connection[];
  /** Flows written, with the sensor's src/dest. */
  readonly written: readonly { conn: Connection; src: string; dest: string }[];
}

export function buildHospital(params: ScenarioParams): HospitalBuild {
  const rand = new Rand(`hospital#${params.seed}`);
  const calendar = chooseCalendar(rand.fork('calendar'));
  const [product, port] = rand.fork('backup').pick(BACKUP_AGENT_PORTS);
  const estate = buildEstate(rand.fork('estate'), HOURS, { product, port });

  // A few desks come back from a long power-off (or a board swap) with a new address.
  const moves = rand.fork('moves');
  const desks = estate.workstations();
  for (const desk of moves.shuffle(desks).slice(0, Math.max(1, Math.round(desks.length * 0.04)))) moveAddress(estate, desk, moves.int(6, HOURS - 6));

  const reboots = rand.fork('reboots');
  const book = bookUses(estate, rand.fork('uses'), { agSecondary: 24 + reboots.int(2, 4), nas: reboots.int(2, 4) });
  const drawn = drawUses(book, calendar, HOURS, rand.fork('traffic'));
  const sessions = drawSessions(book, calendar, HOURS, rand.fork('sessions'));
  const special = drawSpecial(estate, calendar, HOURS, planSpecial(rand.fork('plan')), rand.fork('special'));
  const planted = plantAttacks(estate, calendar, rand.fork('attacks'));

  const sensor = rand.fork('sensor');
  const setup = {
    iface: sensor.pick(['ens1f0', 'enp59s0f1', 'eth1']),
    host: `${estate.org.toLowerCase()}-ids01`,
    stopUs: calendar.endUs - Math.floor(sensor.real(5, 40) * US_PER_SECOND),
    oneWay: params.oneWay,
  };
  const writer = new EveWriter(setup, calendar, rand.fork('eve'), dnsAnswers(estate));
  const all = mergeUdp([...drawn.seen, ...sessions, ...special.seen, ...planted.seen]).sort((a, b) => a.startUs - b.startUs);
  for (const conn of all) writer.flow(conn);
  writer.statsEvents();

  // Files: the write order, rotated at local midnight.
  const order = writer.events.map((event, index) => ({ event, index })).sort((a, b) => a.event.us - b.event.us || a.index - b.index);
  const byDay = new Map<string, string[]>();
  for (const { event } of order) {
    const day = localDate(event.us, calendar.zone);
    const lines = byDay.get(day) ?? [];
    lines.push(event.line);
    byDay.set(day, lines);
  }
  const flows = [...byDay.entries()].map(([day, lines]) => ({ name: `eve-${day}.json`, content: `${lines.join('\n')}\n` }));

  const truth = buildTruth(estate, book, writer.written, planted.seen, planted.attacks);
  const inventories = writeInventories(estate, params, rand.fork('inventory'));
  const labels = `labels${Math.round(params.labelCoverage * 100)}${params.wrongLabelRate > 0 ? `-wrong${Math.round(params.wrongLabelRate * 100)}` : ''}`;
  const scenario: Scenario = {
    id: `hospital/seed${params.seed}/${labels}${params.listUnlabelled === true ? '-all-listed' : ''}${params.oneWay ? '/one-way' : ''}`,
    params,
    flows,
    inventories,
    pods: [],
    logons: [],
    internalCidrs: [],
    trainUntilMs: Math.round(calendar.trainUntilUs / 1000),
    truth,
  };
  return { scenario, estate, planted: planted.seen, unseen: [...drawn.unseen, ...special.unseen, ...planted.unseen], written: writer.written };
}

export const hospital: ScenarioGenerator = {
  name: 'hospital',
  listsUnlabelled: true,
  build: (params) => buildHospital(params).scenario,
};

/** What the logged DNS transactions asked: mostly the estate's own names, some outside names, the odd WPAD miss. */
function dnsAnswers(estate: Estate): DnsAnswer {
  const domain = `${estate.org.toLowerCase()}.healthcare.local`;
  const named = estate.devices.filter((d) => d.kind === 'server' || d.kind === 'printer');
  const outside = ['login.microsoftonline.com', 'ctldl.windowsupdate.com', 'settings-win.data.microsoft.com', 'www.bing.com', 'outlook.office365.com', 'clients.l.google.com', 'ocsp.digicert.com', 'www.nice.org.uk', 'pubmed.ncbi.nlm.nih.gov'];
  const web = estate.publicHosts('web');
  return (_conn, rand) => {
    const roll = rand.float();
    if (roll < 0.05) return { rrname: `wpad.${domain}`, rdata: null };
    if (roll < 0.3) return { rrname: rand.pick(outside), rdata: rand.pick(web).leases[0]!.ip };
    const device = rand.pick(named);
    const name = device.role === 'ehr-web' ? `ehr.${domain}` : `${device.name.toLowerCase()}.${domain}`;
    return { rrname: name, rdata: device.leases[device.leases.length - 1]!.ip };
  };
}

// What the analyst is handed besides the capture: the IT CMDB export
// (servers, network devices, printers, desks; ServiceNow-style, every field
// quoted, sorted by name) and biomedical engineering's asset list
// (modalities, pumps, monitors; another team, other columns, its own
// spellings). Phones and door controllers are in neither: the telecoms and
// facilities teams keep their own. Both lists are as of the export, so a
// desk that changed address shows its newest one, and the CMDB still
// carries the retired domain controller.
//
// labelCoverage keeps that share of each list's devices labelled;
// wrongLabelRate gives that share of the labelled rows (at least one)
// another application's or environment's values (a desk another
// department, a modality another type). With listUnlabelled the other
// devices are listed by name and address only; without it they are left
// out. Coverage 0: no lists at all.
import type { ScenarioFile, ScenarioParams } from '../../scenario';
import type { Device, Estate, RegisterEntry } from './estate';
import type { Rand } from './random';

const quote = (value: string): string => `"${value.replaceAll('"', '""')}"`;

const CMDB_COLUMNS = ['Name', 'IP Address', 'Class', 'Environment', 'Application', 'Role', 'Department', 'Location', 'Support Group', 'Operational Status'];
const BIOMED_COLUMNS = ['Asset Tag', 'Device Name', 'IP Address', 'Device Type', 'Manufacturer', 'Model', 'Ward / Location', 'Last PM'];

export function writeInventories(estate: Estate, params: ScenarioParams, rand: Rand): ScenarioFile[] {
  if (params.labelCoverage === 0) return [];
  const cmdb = estate.devices.filter((d) => d.register.list === 'cmdb');
  const biomed = estate.devices.filter((d) => d.register.list === 'biomed');
  const keep = (list: readonly Device[]): Set<Device> => new Set(rand.shuffle(list).slice(0, Math.round(list.length * params.labelCoverage)));
  const labelled = new Set([...keep(cmdb), ...keep(biomed)]);
  const labelledList = [...estate.devices].filter((d) => labelled.has(d));
  const wrongCount = params.wrongLabelRate > 0 ? Math.max(1, Math.round(labelledList.length * params.wrongLabelRate)) : 0;
  const wrong = new Set(rand.shuffle(labelledList).slice(0, wrongCount));
  const labelsOf = (device: Device): RegisterEntry => (wrong.has(device) ? wrongLabels(device, labelledList, rand) : device.register);
  const latestIp = (device: Device): string => device.leases[device.leases.length - 1]!.ip;
  const location = (device: Device): string => (device.site.kind === 'dc' ? 'Main Hospital - Data Centre' : device.site.kind === 'hospital' ? 'Main Hospital' : device.site.name);
  const files: ScenarioFile[] = [];

  const cmdbRows = cmdb
    .filter((d) => labelled.has(d) || params.listUnlabelled === true)
    .map((device) => {
      if (!labelled.has(device)) return { name: device.name, cells: [device.name, latestIp(device), '', '', '', '', '', '', '', 'Operational'] };
      const r = labelsOf(device);
      return { name: device.name, cells: [device.name, latestIp(device), r.cls, r.env, r.app, r.role, r.dept, location(device), r.owner, 'Operational'] };
    });
  // The CMDB was never told the old DC went away.
  cmdbRows.push({ name: `${estate.org}DC00`, cells: [`${estate.org}DC00`, '10.10.10.10', 'Windows Server', 'Production', 'Active Directory', 'Domain Controller', 'IT Services', 'Main Hospital - Data Centre', 'Infrastructure', 'Retired'] });
  cmdbRows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  files.push({ name: 'cmdb_ci_export.csv', content: `${[CMDB_COLUMNS, ...cmdbRows.map((row) => row.cells)].map((cells) => cells.map(quote).join(',')).join('\r\n')}\r\n` });

  const tags = new Map(biomed.map((device, i) => [device, `BME-${String(10231 + i * 7).padStart(6, '0')}`]));
  const biomedRows = biomed
    .filter((d) => labelled.has(d) || params.listUnlabelled === true)
    .map((device) => {
      const tag = tags.get(device)!;
      if (!labelled.has(device)) return [tag, device.name, latestIp(device), '', '', '', '', ''];
      const r = labelsOf(device);
      const pm = `${String(rand.int(1, 28)).padStart(2, '0')}/${String(rand.int(1, 12)).padStart(2, '0')}/${rand.pick(['2024', '2025'])}`;
      return [tag, device.name, latestIp(device), r.cls, r.manufacturer, r.model, r.dept, pm];
    })
    .sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  const csvCell = (value: string): string => (/[",]/.test(value) ? quote(value) : value);
  files.push({ name: 'biomed_assets.csv', content: `${[BIOMED_COLUMNS, ...biomedRows].map((cells) => cells.map(csvCell).join(',')).join('\n')}\n` });
  return files;
}

/** Another application's or environment's values: the other EHR environment, another server's application, a desk another department, a device another type. */
function wrongLabels(device: Device, labelled: readonly Device[], rand: Rand): RegisterEntry {
  const right = device.register;
  if (right.app === 'EHR' && rand.chance(0.5)) return { ...right, env: right.env === 'Production' ? 'Test' : 'Production' };
  const others = labelled.filter((d) => d.register.list === right.list && d.register.cls === right.cls && d.truth !== device.truth);
  const pool = others.length > 0 ? others : labelled.filter((d) => d.register.list === right.list && d.truth !== device.truth);
  if (pool.length === 0) return right;
  const other = rand.pick(pool).register;
  if (right.list === 'biomed') return { ...right, cls: other.cls };
  return { ...right, env: other.env, app: other.app, role: other.role, dept: other.dept };
}

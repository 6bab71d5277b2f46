// The inventory the analyst is given: the retailer's NetBox, exported from
// its two list views with "Export → Current view", which is how people pull
// CSV out of NetBox. NetBox names the downloads after the model's plural
// ("netbox_devices.csv", "netbox_virtual machines.csv", space included) and
// writes them through django-tables2: the table's column headers as shown,
// each cell as displayed, an em dash for an empty cell, tags joined with
// commas, addresses with their prefix length ("10.10.20.11/24"), CRLF line
// ends, quotes only where a value needs them.
//
// What NetBox holds: the data centre's physical servers and appliances
// (devices) and its virtual machines, and in every shop the router, the
// switch, the store server and, where there is one, the NVR (devices).
// Lanes, PCs, handhelds, printers, signage players and cameras are endpoint
// assets tracked elsewhere and are not in it. Labels live where this
// retailer put them: the device role, the tenant (owning team), and two
// custom fields, Environment and Application. The columns the exporting
// user had chosen:
//   devices: Name, Status, Tenant, Site, Location, Rack, Role, Manufacturer,
//            Type, Platform, IP Address, Environment, Application, Tags
//   virtual machines: Name, Status, Site, Cluster, Role, Tenant, Platform,
//            IP Address, Environment, Application, Tags
// The replaced store servers are still there, "Decommissioning", with their
// old address.
//
// labelCoverage keeps that share of the listable hosts (drawn by seed);
// wrongLabelRate gives that share of the labelled ones (at least one when
// asked) another application's or environment's values: a QA server filed
// as production or the reverse, or a host carrying another host's
// application, role and team. Unlabelled hosts are left out, or with
// listUnlabelled listed by name, status and address only. Coverage 0
// without listUnlabelled: no export at all (nobody was given one).
import type { ScenarioFile, ScenarioParams } from '../../scenario';
import type { Estate, Host, Labels } from './estate';
import type { Random } from './random';

const DEVICE_COLUMNS = ['Name', 'Status', 'Tenant', 'Site', 'Location', 'Rack', 'Role', 'Manufacturer', 'Type', 'Platform', 'IP Address', 'Environment', 'Application', 'Tags'];
const VM_COLUMNS = ['Name', 'Status', 'Site', 'Cluster', 'Role', 'Tenant', 'Platform', 'IP Address', 'Environment', 'Application', 'Tags'];
export const DEVICES_FILE = 'netbox_devices.csv';
export const VMS_FILE = 'netbox_virtual machines.csv';

const EMPTY = '—';

export interface InventoryPlan {
  readonly files: ScenarioFile[];
  /** Hosts NetBox lists (labelled or not). */
  readonly listable: readonly Host[];
  readonly labelled: ReadonlySet<Host>;
  /** Labelled hosts whose labels are another's. */
  readonly wrong: ReadonlySet<Host>;
}

export function writeInventory(estate: Estate, params: ScenarioParams, rand: Random): InventoryPlan {
  const listable = estate.hosts.filter((h) => h.listing !== null && h.labels !== null);
  const labelled = new Set(rand.shuffle(listable).slice(0, Math.round(listable.length * params.labelCoverage)));
  const labelledList = listable.filter((h) => labelled.has(h));
  const wrongCount = params.wrongLabelRate > 0 && labelledList.length > 0 ? Math.max(1, Math.round(labelledList.length * params.wrongLabelRate)) : 0;
  const wrong = new Set(rand.shuffle(labelledList).slice(0, wrongCount));
  const shown = listable.filter((h) => labelled.has(h) || params.listUnlabelled === true);
  if (shown.length === 0) return { files: [], listable, labelled, wrong };

  const labelsOf = new Map<Host, Labels>();
  for (const host of labelledList) labelsOf.set(host, wrong.has(host) ? wrongLabels(host, labelledList, rand) : host.labels!);
  const byName = (a: Host, b: Host): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const cell = (value: string): string => (value === '' ? EMPTY : value);
  const address = (host: Host): string => `${host.ip}/${host.prefix}`;

  const deviceRows = shown
    .filter((h) => h.listing === 'device')
    .sort(byName)
    .map((host) => {
      const labels = labelsOf.get(host);
      if (labels === undefined) return [host.name, host.status, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, address(host), EMPTY, EMPTY, ''];
      return [host.name, host.status, labels.tenant, host.site.name, cell(labels.location), cell(labels.rack), labels.role, cell(labels.manufacturer), cell(labels.model), cell(labels.platform), address(host), labels.environment, labels.application, labels.tags.join(',')];
    });
  const vmRows = shown
    .filter((h) => h.listing === 'vm')
    .sort(byName)
    .map((host) => {
      const labels = labelsOf.get(host);
      if (labels === undefined) return [host.name, host.status, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, address(host), EMPTY, EMPTY, ''];
      return [host.name, host.status, host.site.name, cell(labels.cluster), labels.role, labels.tenant, cell(labels.platform), address(host), labels.environment, labels.application, labels.tags.join(',')];
    });
  const files: ScenarioFile[] = [];
  if (deviceRows.length > 0) files.push({ name: DEVICES_FILE, content: csv([DEVICE_COLUMNS, ...deviceRows]) });
  if (vmRows.length > 0) files.push({ name: VMS_FILE, content: csv([VM_COLUMNS, ...vmRows]) });
  return { files, listable, labelled, wrong };
}

/** Python's csv writer as tablib drives it: minimal quoting, CRLF. */
function csv(rows: readonly (readonly string[])[]): string {
  const quote = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return rows.map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}

/** Another application's or environment's values for `host`. */
function wrongLabels(host: Host, labelled: readonly Host[], rand: Random): Labels {
  const right = host.labels!;
  const twin = /^(prod|qa)\|/.test(host.group);
  if (twin && rand.chance(0.5)) return { ...right, environment: right.environment === 'Production' ? 'QA' : 'Production' };
  const others = labelled.filter((h) => h.group !== host.group && h.labels!.application !== right.application);
  if (others.length === 0) return { ...right, environment: right.environment === 'Production' ? 'QA' : 'Production' };
  const other = rand.pick(others).labels!;
  return { ...right, application: other.application, environment: other.environment, role: other.role, tenant: other.tenant };
}

// The asset inventory as an OT asset-visibility product exports it (the
// column set of a passive-monitoring appliance's asset list, one row per
// IP). It lists the share `labelCoverage` of the plant's labellable hosts
// (its sensors did not see the rest, or they were never classified), plus
// PROFINET devices it learnt from DCP that never speak IP in the flows.
// Zones are the OT team's own: one per line, even on the legacy flat
// network. `wrongLabelRate` of the listed hosts (at least one when the rate
// is not 0) sit in another line's zone: an asset moved and never re-zoned.
import { ipNumber } from './addressing';
import type { Host, Line, Plant, Role } from './plant';
import type { Dice } from './random';
import type { ScenarioParams } from '../../scenario';

export const INVENTORY_HEADER = 'IP Address,MAC Address,Asset Name,Asset Type,Vendor,Model,Firmware,Zone,Purdue Level,Site';

const TYPE: Partial<Record<Role, string>> = {
  plc: 'PLC',
  hmi: 'HMI',
  panel: 'HMI',
  io: 'I/O Adapter',
  scada: 'SCADA Server',
  historian: 'Historian',
  dc: 'Domain Controller',
  ntp: 'Time Server',
  ews: 'Engineering Workstation',
  opc: 'OPC Server',
  siem: 'Log Collector',
  ups: 'UPS',
  firewall: 'Firewall',
  mirror: 'Historian',
  wsus: 'Patch Server',
  av: 'Antivirus Server',
  jump: 'Jump Server',
};

export function zoneOf(line: Line): string {
  return `Line ${line.index} - ${line.title}`;
}

function level(host: Host): string {
  if (host.place === 'dmz') return 'Level 3.5';
  if (host.place === 'site') return 'Level 3';
  return host.role === 'plc' || host.role === 'io' ? 'Level 1' : 'Level 2';
}

/** The hosts an asset tool would list and label: everything of the plant's own. */
export function labellable(plant: Plant): Host[] {
  return plant.hosts.filter((host) => host.place === 'line' || host.place === 'site' || host.place === 'dmz');
}

export interface InventoryRow {
  readonly ip: string;
  readonly cells: readonly string[];
  /** The host's own zone, and the one written (differs for a wrong label). */
  readonly trueZone: string;
  readonly zone: string;
}

export function inventoryRows(plant: Plant, params: ScenarioParams, dice: Dice): InventoryRow[] {
  if (params.labelCoverage <= 0) return [];
  const hosts = labellable(plant);
  const kept = dice.shuffled(hosts).slice(0, Math.round(hosts.length * params.labelCoverage));
  const movable = kept.filter((host) => host.line !== null);
  const wrongCount = params.wrongLabelRate > 0 ? Math.max(1, Math.round(kept.length * params.wrongLabelRate)) : 0;
  const wrong = new Set(dice.some(movable, wrongCount));
  const place = (host: Host): string => (host.line !== null ? zoneOf(host.line) : host.place === 'dmz' ? 'L3.5 IT/OT DMZ' : 'L3 Site Operations');
  const rows: InventoryRow[] = kept.map((host) => {
    const trueZone = place(host);
    const zone = wrong.has(host) ? zoneOf(dice.one(plant.lines.filter((line) => line !== host.line))) : trueZone;
    return { ip: host.ip, trueZone, zone, cells: [host.ip, host.mac, host.name, TYPE[host.role] ?? 'Unknown', host.maker, host.model, host.firmware, zone, level(host), plant.siteName] };
  });
  for (const line of plant.lines) {
    for (const device of line.layer2Io) {
      if (!dice.yes(params.labelCoverage)) continue;
      const zone = zoneOf(line);
      rows.push({ ip: device.ip, trueZone: zone, zone, cells: [device.ip, device.mac, device.name, 'I/O Adapter', line.vendor.ioMaker, device.model, 'V4.2.1', zone, 'Level 1', plant.siteName] });
    }
  }
  return rows.sort((a, b) => ipNumber(a.ip) - ipNumber(b.ip));
}

export function inventoryCsv(rows: readonly InventoryRow[]): string {
  const cell = (value: string): string => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return `${[INVENTORY_HEADER, ...rows.map((row) => row.cells.map(cell).join(','))].join('\r\n')}\r\n`;
}

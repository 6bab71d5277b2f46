import { Table, makeVector, tableToIPC } from 'apache-arrow';
import { boolVector, utf8Vector } from './arrow-columns';
import type { HostProfile, LogonSummary } from '../enrich/host-profiles';
import { serviceNameRows } from '../enrich/service-names';
import { protocolNameRows } from '../flow/protocols';
import type { SqlPort } from './sql-port';

export const ENRICHMENT_SCHEMA_SQL: readonly string[] = [
  'CREATE TABLE host_info (ip VARCHAR, scope VARCHAR, name VARCHAR, name_source VARCHAR, workload VARCHAR, namespace VARCHAR)',
  'CREATE TABLE host_labels (ip VARCHAR, key VARCHAR, value VARCHAR, source VARCHAR)',
  'CREATE TABLE logons (user_name VARCHAR, domain VARCHAR, target_host VARCHAR, target_ip VARCHAR, source_ip VARCHAR, logon_type INTEGER, service_account BOOLEAN, count DOUBLE, first_ms DOUBLE, last_ms DOUBLE)',
  'CREATE TABLE service_names (proto UTINYINT, port INTEGER, name VARCHAR)',
  'CREATE TABLE protocol_names (proto UTINYINT, name VARCHAR)',
  // The protocol a sensor identified on a server's port (Zeek's service), one per port.
  'CREATE TABLE observed_services (ip VARCHAR, proto UTINYINT, port INTEGER, service VARCHAR)',
];

const text = utf8Vector;

export async function storeEnrichment(
  db: SqlPort,
  profiles: readonly HostProfile[],
  logons: readonly LogonSummary[],
  observedServices: ReadonlyMap<string, string> = new Map(),
): Promise<void> {
  for (const statement of ENRICHMENT_SCHEMA_SQL) await db.run(statement);
  if (observedServices.size > 0) {
    const rows = [...observedServices].map(([key, service]) => {
      const [ip, proto, port] = key.split('|');
      return { ip: ip!, proto: Number(proto), port: Number(port), service };
    });
    await db.insertArrow(
      'observed_services',
      tableToIPC(
        new Table({
          ip: text(rows.map((row) => row.ip)),
          proto: makeVector(Uint8Array.from(rows, (row) => row.proto)),
          port: makeVector(Int32Array.from(rows, (row) => row.port)),
          service: text(rows.map((row) => row.service)),
        }),
        'stream',
      ),
    );
  }
  if (profiles.length > 0) {
    await db.insertArrow(
      'host_info',
      tableToIPC(
        new Table({
          ip: text(profiles.map((p) => p.ip)),
          scope: text(profiles.map((p) => p.scope)),
          name: text(profiles.map((p) => p.name)),
          name_source: text(profiles.map((p) => p.nameSource)),
          workload: text(profiles.map((p) => p.workload)),
          namespace: text(profiles.map((p) => p.namespace)),
        }),
        'stream',
      ),
    );
    const labels = profiles.flatMap((p) => p.labels.map((label) => ({ ip: p.ip, ...label })));
    if (labels.length > 0) {
      await db.insertArrow(
        'host_labels',
        tableToIPC(
          new Table({
            ip: text(labels.map((l) => l.ip)),
            key: text(labels.map((l) => l.key)),
            value: text(labels.map((l) => l.value)),
            source: text(labels.map((l) => l.source)),
          }),
          'stream',
        ),
      );
    }
  }
  if (logons.length > 0) {
    await db.insertArrow(
      'logons',
      tableToIPC(
        new Table({
          user_name: text(logons.map((l) => l.user)),
          domain: text(logons.map((l) => l.domain)),
          target_host: text(logons.map((l) => l.targetHost)),
          target_ip: text(logons.map((l) => l.targetIp)),
          source_ip: text(logons.map((l) => l.sourceIp)),
          logon_type: makeVector(Int32Array.from(logons, (l) => l.logonType)),
          service_account: boolVector(logons.map((l) => l.serviceAccount)),
          count: makeVector(Float64Array.from(logons, (l) => l.count)),
          first_ms: makeVector(Float64Array.from(logons, (l) => l.firstMs)),
          last_ms: makeVector(Float64Array.from(logons, (l) => l.lastMs)),
        }),
        'stream',
      ),
    );
  }
  const services = serviceNameRows();
  await db.insertArrow(
    'service_names',
    tableToIPC(
      new Table({
        proto: makeVector(Uint8Array.from(services, (row) => row.proto)),
        port: makeVector(Int32Array.from(services, (row) => row.port)),
        name: text(services.map((row) => row.name)),
      }),
      'stream',
    ),
  );
  const protocols = protocolNameRows();
  await db.insertArrow(
    'protocol_names',
    tableToIPC(new Table({ proto: makeVector(Uint8Array.from(protocols, (row) => row.proto)), name: text(protocols.map((row) => row.name)) }), 'stream'),
  );
}

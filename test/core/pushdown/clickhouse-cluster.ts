import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Two ClickHouse servers (Debian's clickhouse-server package, 18.16) on
 * loopback ports in temporary folders, configured as one cluster of two
 * shards, for the tests only: each holds part of the rows in a MergeTree
 * table, and a Distributed table on the first spreads a query over both.
 * Talks to them over their HTTP interface on 127.0.0.1.
 */
export const CLICKHOUSE_SERVER = '/usr/sbin/clickhouse-server';
export const CLUSTER = 'flowfence_pair';

export interface ClickhouseCluster {
  /** Runs SQL on shard `shard` (0 or 1); the response body (TabSeparated for SELECTs). */
  query(sql: string, shard?: number): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

function config(dir: string, ports: { tcp: number; http: number; interserver: number }, shardPorts: readonly number[]): string {
  const shards = shardPorts.map((port) => `<shard><replica><host>127.0.0.1</host><port>${port}</port></replica></shard>`).join('');
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>20</max_concurrent_queries>
  <keep_alive_timeout>600</keep_alive_timeout>
  <remote_servers><${CLUSTER}>${shards}</${CLUSTER}></remote_servers>
</yandex>
`;
}

const USERS = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage><max_query_size>1048576</max_query_size></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

/** Starts the two servers, or says why it cannot (no package, no start within the timeout). */
export async function startClickhouseCluster(timeoutMs = 30_000): Promise<ClickhouseCluster | string> {
  if (!existsSync(CLICKHOUSE_SERVER)) return `${CLICKHOUSE_SERVER} is not installed (apt-get install -y clickhouse-server)`;
  const servers: { dir: string; http: number; tcp: number; process: ChildProcess; exited: boolean }[] = [];
  const ports = [];
  for (let i = 0; i < 2; i++) ports.push({ tcp: await freePort(), http: await freePort(), interserver: await freePort() });
  for (const port of ports) {
    const dir = mkdtempSync(join(tmpdir(), 'flowfence-clickhouse-'));
    writeFileSync(join(dir, 'config.xml'), config(dir, port, ports.map((p) => p.tcp)));
    writeFileSync(join(dir, 'users.xml'), USERS);
    const child = spawn(CLICKHOUSE_SERVER, [`--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: 'ignore' });
    const server = { dir, http: port.http, tcp: port.tcp, process: child, exited: false };
    child.once('exit', () => void (server.exited = true));
    child.once('error', () => void (server.exited = true));
    servers.push(server);
  }
  const stop = async (): Promise<void> => {
    for (const server of servers) {
      if (!server.exited) {
        server.process.kill('SIGTERM');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            server.process.kill('SIGKILL');
            resolve();
          }, 10_000);
          server.process.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      rmSync(server.dir, { recursive: true, force: true });
    }
  };
  const deadline = Date.now() + timeoutMs;
  for (const server of servers) {
    for (;;) {
      if (server.exited) {
        await stop();
        return `clickhouse-server exited at start (see its log)`;
      }
      const ok = await fetch(`http://127.0.0.1:${server.http}/ping`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) {
        await stop();
        return `clickhouse-server did not answer within ${timeoutMs / 1000} s`;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    async query(sql, shard = 0) {
      const response = await fetch(`http://127.0.0.1:${servers[shard]!.http}/`, { method: 'POST', body: sql });
      const body = await response.text();
      if (!response.ok) throw new Error(`clickhouse-server: ${body.slice(0, 2000)}`);
      return body;
    },
    stop,
  };
}

import type { Connection } from './traffic';

/**
 * Windows Security 4624 events for the interactive and network logons the
 * enterprise's connections imply: RDP sessions (logon type 10) and SMB file
 * access (type 3), one per connection, as NDJSON with the fields flattened
 * the way exporters write them. Users are named after their workstation.
 */
export function logonEventLine(connection: Connection, recordId: number): string | null {
  const { client, server } = connection;
  const logonType = connection.dport === 3389 ? 10 : connection.dport === 445 && server.os === 'windows' ? 3 : null;
  if (logonType === null || client.kind !== 'workstation' || connection.denied) return null;
  const user = `${client.dept}.${client.name.split('-').pop()}`;
  return JSON.stringify({
    EventID: 4624,
    Provider: 'Microsoft-Windows-Security-Auditing',
    TimeCreated: new Date(connection.startMs + 150).toISOString(),
    EventRecordID: recordId,
    Computer: `${server.name}.corp.example.com`,
    Channel: 'Security',
    TargetUserName: user,
    TargetDomainName: 'CORP',
    LogonType: String(logonType),
    IpAddress: client.ip,
    IpPort: String(connection.sport),
    WorkstationName: client.name.toUpperCase(),
  });
}

import { describe, expect, it } from 'vitest';
import { ADMIN_ROLE_DEFAULTS, adminRole, describeRole, directoryServed, isServerRole, type ServiceUse } from '../../../src/core/policy/admin-role';
import { RuleGenerator } from '../../../src/core/policy/generate-rules';
import { DEFAULT_POLICY_SETTINGS, type PolicyRule } from '../../../src/core/policy/policy-model';
import { parsePolicy } from '../../../src/core/policy/policy-schema';
import { policyJson } from '../../../src/core/policy/build-policy';
import { edge, generate, generatorInput, policyOf, ruleIds, type GroupDef } from './fixtures';

const byId = (rules: readonly PolicyRule[], id: string): PolicyRule => {
  const found = rules.find((r) => r.id === id);
  if (found === undefined) throw new Error(`no rule ${id} among ${ruleIds(rules).join(', ')}`);
  return found;
};
const stepOf = (r: PolicyRule, step: string): string | undefined => r.evidence.steps.find((s) => s.step === step)?.detail;
const accessSteps = (r: PolicyRule): string[] => r.evidence.steps.map((s) => s.step).filter((s) => s === 'just-in-time' || s === 'role' || s === 'admin-group');
/** A service's use; unless told, as many client hosts as servers (no fan-in). */
const use = (users: number, others: number, fields: Partial<ServiceUse> = {}): ServiceUse => ({ users, others, clients: 4, servers: 4, directory: [], ...fields });
const settings = DEFAULT_POLICY_SETTINGS;

describe('adminRole: the decision on its own', () => {
  it('records its thresholds in the default policy settings', () => {
    expect(DEFAULT_POLICY_SETTINGS).toMatchObject({ roleMinShare: 0.5, roleMinGroups: 3, roleMinClientsPerServer: 4 });
    expect(DEFAULT_POLICY_SETTINGS.roleDependentAdminServices.map((s) => `${s.name} ${s.proto}/${s.port}`)).toEqual(['msrpc 6/135', 'smb 6/445']);
    expect(DEFAULT_POLICY_SETTINGS.directoryServices.map((s) => s.name)).toEqual(['kerberos', 'ldap', 'ldaps', 'ldap-gc', 'ldaps-gc', 'kerberos', 'ldap']);
    expect(ADMIN_ROLE_DEFAULTS.roleMinShare).toBe(DEFAULT_POLICY_SETTINGS.liftMinShare);
  });

  it('calls remote administration what it is, whatever its groups and their share', () => {
    const never = (): ServiceUse => {
      throw new Error('asked');
    };
    // Every other group using SSH on a group, from as many clients as servers: still administration.
    for (const port of [22, 23, 3389, 5900, 5985, 5986]) expect(adminRole(6, port, settings, () => use(17, 17, { directory: ['kerberos'] }))).toEqual({ kind: 'remote-admin' });
    // Into an outside network the use is not even asked for.
    for (const port of [22, 3389]) expect(adminRole(6, port, settings, 'outside')).toEqual({ kind: 'remote-admin' });
    expect(adminRole(6, 443, settings, never)).toEqual({ kind: 'none' });
    // SMB over UDP is not the admin service.
    expect(adminRole(17, 445, settings, never)).toEqual({ kind: 'none' });
    // Taken off the admin list, SMB is an ordinary service.
    expect(adminRole(6, 445, { ...settings, adminServices: settings.adminServices.filter((s) => s.port !== 445) }, never)).toEqual({ kind: 'none' });
    expect(adminRole(6, 445, settings, 'outside')).toEqual({ kind: 'outside' });
  });

  it('makes SMB or RPC a role at ≥ 50% of the other groups and ≥ 3 of them, on both sides of each bar', () => {
    // 3 of 6 = 50%: role. 3 of 7 ≈ 43%: not. 14 of 17 ≈ 82%: role.
    expect(adminRole(6, 445, settings, () => use(3, 6))).toEqual({ kind: 'role', use: use(3, 6) });
    expect(adminRole(6, 445, settings, () => use(3, 7))).toEqual({ kind: 'not-role', use: use(3, 7) });
    expect(adminRole(6, 135, settings, () => use(14, 17)).kind).toBe('role');
    // 2 of 2 and 2 of 3 clear the share but not the 3 groups: a jump group and one more look like administration.
    expect(isServerRole(use(2, 2), settings)).toBe(false);
    expect(isServerRole(use(2, 3), settings)).toBe(false);
    expect(isServerRole(use(3, 3), settings)).toBe(true);
    expect(isServerRole(use(0, 0), settings)).toBe(false);
  });

  it('lets a directory server (Kerberos or LDAP to ≥ 3 groups) have SMB/RPC as its role below 50%, never below 3 groups', () => {
    // 3 of 7 ≈ 43% with directory services: role. 2 of 7 with them: not.
    expect(isServerRole(use(3, 7, { directory: ['kerberos'] }), settings)).toBe(true);
    expect(isServerRole(use(2, 7, { directory: ['kerberos', 'ldap'] }), settings)).toBe(false);
  });

  it('lets a hub (≥ 4 client hosts per server host) have SMB/RPC as its role below 50%, below 3 groups only with ≥ 12 client hosts', () => {
    // 5 of 67 groups (≈ 7%): 100 clients on 2 servers = 50 per server: role. 8 on 2 = 4: role. 7 on 2 = 3.5: not.
    expect(isServerRole(use(5, 67, { clients: 100, servers: 2 }), settings)).toBe(true);
    expect(isServerRole(use(3, 20, { clients: 8, servers: 2 }), settings)).toBe(true);
    expect(isServerRole(use(3, 20, { clients: 7, servers: 2 }), settings)).toBe(false);
    // A few hosts into many (administration fans out): 3 clients on 10 servers.
    expect(isServerRole(use(3, 20, { clients: 3, servers: 10 }), settings)).toBe(false);
    expect(isServerRole(use(3, 20, { clients: 0, servers: 0 }), settings)).toBe(false);
    // A department's desks, one group, printing on one server: a hub from 12 client hosts (3 groups' worth of fan-in) up.
    expect(isServerRole(use(1, 20, { clients: 100, servers: 1 }), settings)).toBe(true);
    expect(isServerRole(use(2, 20, { clients: 12, servers: 3 }), settings)).toBe(true);
    expect(isServerRole(use(2, 20, { clients: 11, servers: 1 }), settings)).toBe(false);
    expect(isServerRole(use(1, 20, { clients: 12, servers: 4 }), settings)).toBe(false);
  });

  it('makes remote administration a role only on a hub: ≥ 12 client hosts at ≥ 4 per server, on both sides of each bar', () => {
    // 40 store servers pulling files over SFTP from one server, all in one group: a role.
    expect(adminRole(6, 22, settings, () => use(1, 9, { clients: 40, servers: 1 }))).toEqual({ kind: 'role', use: use(1, 9, { clients: 40, servers: 1 }) });
    // A department's 12 desks on 3 terminal servers: a role; 11 desks on 1, or 12 on 4 (3 per server): administration.
    expect(adminRole(6, 3389, settings, () => use(1, 9, { clients: 12, servers: 3 })).kind).toBe('role');
    expect(adminRole(6, 3389, settings, () => use(1, 9, { clients: 11, servers: 1 })).kind).toBe('remote-admin');
    expect(adminRole(6, 3389, settings, () => use(1, 9, { clients: 12, servers: 4 })).kind).toBe('remote-admin');
    // A jump group fanning out: 3 hosts into 30 servers.
    expect(adminRole(6, 22, settings, () => use(1, 9, { clients: 3, servers: 30 })).kind).toBe('remote-admin');
    expect(describeRole('ssh tcp/22', 'g4', { kind: 'role', use: use(1, 9, { clients: 40, servers: 1 }) }, settings)).toBe(
      'ssh tcp/22 is the role of g4 (used by 1 of the 9 other internal groups, 40 client hosts on 1 server; a hub: ≥ 12 client hosts at ≥ 4 per server)',
    );
  });

  it('finds the directory services a group serves to ≥ 3 other groups, each name once', () => {
    const users = new Map([['6/88', 3], ['17/88', 5], ['6/389', 2], ['6/636', 0]]);
    const usersOf = (proto: number, port: number): number => users.get(`${proto}/${port}`) ?? 0;
    // Kerberos over TCP (3) and UDP (5): once. LDAP to 2 groups: not yet.
    expect(directoryServed(settings, usersOf)).toEqual(['kerberos']);
    users.set('6/389', 3);
    expect(directoryServed(settings, usersOf)).toEqual(['kerberos', 'ldap']);
    users.clear();
    expect(directoryServed(settings, usersOf)).toEqual([]);
  });

  it('says why, with the counts', () => {
    expect(describeRole('smb tcp/445', 'g12', { kind: 'role', use: use(14, 17, { clients: 180, servers: 2, directory: ['kerberos', 'ldap'] }) }, settings)).toBe(
      'smb tcp/445 is the role of g12 (used by 14 of the 17 other internal groups, 180 client hosts on 2 servers; it also serves kerberos, ldap; a hub: ≥ 12 client hosts at ≥ 4 per server)',
    );
    expect(describeRole('smb tcp/445', 'g2', { kind: 'not-role', use: use(1, 1, { clients: 1, servers: 1 }) }, settings)).toBe(
      'smb tcp/445 is not the role of g2 (used by 1 of the 1 other internal group, 1 client host on 1 server; a role needs ≥ 3 groups, and ≥ 50% of the others, ≥ 4 client hosts per server or a directory service beside it, or ≥ 12 client hosts at ≥ 4 per server): administration',
    );
  });
});

describe('RuleGenerator: domain controllers every group uses', () => {
  // dc: 2 domain controllers; d1–d5: departments; jump: the admins' jump hosts. 7 groups: 6 others for dc.
  const groups: GroupDef[] = [
    { id: 'dc', name: 'domain controllers', kind: 'infrastructure', members: ['10.0.0.1', '10.0.0.2'] },
    ...[1, 2, 3, 4, 5].map((k) => ({ id: `d${k}`, name: `department ${k}`, members: [`10.0.${k}.1`, `10.0.${k}.2`] })),
    { id: 'jump', name: 'jump hosts', members: ['10.0.9.1'] },
  ];
  const clients = ['10.0.1.1', '10.0.1.2', '10.0.2.1', '10.0.2.2', '10.0.3.1', '10.0.3.2', '10.0.4.1', '10.0.4.2', '10.0.5.1', '10.0.5.2', '10.0.9.1'];
  // Every client logs on (Kerberos, LDAP) and reads group policy (SMB, RPC) on one DC or the other.
  const domain = clients.flatMap((client, k) => [88, 389, 445, 135].map((port) => edge(client, k % 2 === 0 ? '10.0.0.1' : '10.0.0.2', port)));
  const rdp = [edge('10.0.1.1', '10.0.0.1', 3389), edge('10.0.9.1', '10.0.0.1', 3389), edge('10.0.9.1', '10.0.0.2', 3389)];
  const rules = generate({ edges: [...domain, ...rdp], groups }).rules();

  it('lifts SMB, RPC, Kerberos and LDAP to open rules from every internal host (6 of the 6 other groups)', () => {
    // Kerberos and LDAP over UDP come with them (companion-rules.ts).
    expect(ruleIds(rules)).toEqual(['d1>dc:tcp/3389', 'internal>dc:tcp/135', 'internal>dc:tcp/389', 'internal>dc:tcp/445', 'internal>dc:tcp/88', 'internal>dc:udp/389', 'internal>dc:udp/88', 'jump>dc:tcp/3389']);
    for (const port of [88, 389, 445, 135]) expect(byId(rules, `internal>dc:tcp/${port}`)).toMatchObject({ jit: null, evidence: { clients: 11, servers: 2 } });
  });

  it('says in the evidence why SMB and RPC are open: the role of dc, used by all, beside its directory services', () => {
    expect(byId(rules, 'internal>dc:tcp/445').evidence.steps).toEqual([
      { step: 'role', detail: 'smb tcp/445 is the role of dc (used by 6 of the 6 other internal groups, 11 client hosts on 2 servers; it also serves kerberos, ldap): always open, not just-in-time' },
      { step: 'lift', detail: 'used by 6 of the 6 other internal groups, holding 11 of the 11 other internal hosts (lifted at ≥ 50% and ≥ 3 groups, ≥ 50% of hosts): one rule from every internal host' },
    ]);
    expect(stepOf(byId(rules, 'internal>dc:tcp/135'), 'role')).toBe('msrpc tcp/135 is the role of dc (used by 6 of the 6 other internal groups, 11 client hosts on 2 servers; it also serves kerberos, ldap): always open, not just-in-time');
    // Kerberos is no admin service: no access step at all.
    expect(accessSteps(byId(rules, 'internal>dc:tcp/88'))).toEqual([]);
  });

  it('keeps RDP to a domain controller just-in-time from a department, open from the jump hosts', () => {
    const fromDepartment = byId(rules, 'd1>dc:tcp/3389');
    expect(fromDepartment.jit).toEqual({ requesters: [] });
    expect(stepOf(fromDepartment, 'just-in-time')).toBe('rdp tcp/3389 is remote administration, and d1 is not an admin group: just-in-time, closed until opened on request');
    const fromJump = byId(rules, 'jump>dc:tcp/3389');
    expect(fromJump.jit).toBeNull();
    expect(stepOf(fromJump, 'admin-group')).toBe('rdp tcp/3389 is remote administration; jump (jump hosts) is an admin group: open');
  });

  it('writes a policy the schema accepts, with the role settings and steps', () => {
    const policy = policyOf({ edges: [...domain, ...rdp], groups });
    const read = parsePolicy(policyJson(policy), 'p.json');
    expect(read.settings).toMatchObject({ roleMinShare: 0.5, roleMinGroups: 3 });
    expect(read.rules.flatMap((r) => r.evidence.steps.map((s) => s.step))).toEqual(expect.arrayContaining(['role', 'admin-group', 'just-in-time', 'lift']));
  });
});

describe('RuleGenerator: a file server, an app server', () => {
  // Departments d1–d6, fs (file server), app (an application server): 8 groups, 7 others for fs and app.
  const departments = [1, 2, 3, 4, 5, 6].map((k) => ({ id: `d${k}`, name: `department ${k}`, members: [`10.0.${k}.1`] }));
  const fileServer: GroupDef = { id: 'fs', name: 'files', members: ['10.0.7.1'] };
  const appServer: GroupDef = { id: 'app', name: 'billing', members: ['10.0.8.1'] };
  const smbFrom = (count: number): ReturnType<typeof edge>[] => [1, 2, 3, 4, 5, 6].slice(0, count).map((k) => edge(`10.0.${k}.1`, '10.0.7.1', 445));

  it('opens and lifts SMB on a file server 5 of the 6 departments use (5 of 7 others ≈ 71%)', () => {
    const rules = generate({ edges: smbFrom(5), groups: [...departments, fileServer, appServer] }).rules();
    expect(ruleIds(rules)).toEqual(['internal>fs:tcp/445']);
    expect(rules[0]!.jit).toBeNull();
    expect(stepOf(rules[0]!, 'role')).toBe('smb tcp/445 is the role of fs (used by 5 of the 7 other internal groups, 5 client hosts on 1 server): always open, not just-in-time');
  });

  it('at the share bar: 4 of 7 (≈ 57%) is a role; 3 of 7 (≈ 43%, 3 clients on 1 server) is not, and stays just-in-time per group', () => {
    expect(ruleIds(generate({ edges: smbFrom(4), groups: [...departments, fileServer, appServer] }).rules())).toEqual(['internal>fs:tcp/445']);
    const below = generate({ edges: smbFrom(3), groups: [...departments, fileServer, appServer] }).rules();
    expect(ruleIds(below)).toEqual(['d1>fs:tcp/445', 'd2>fs:tcp/445', 'd3>fs:tcp/445']);
    expect(below.every((r) => r.jit !== null)).toBe(true);
    expect(stepOf(below[0]!, 'just-in-time')).toBe(
      'smb tcp/445 is not the role of fs (used by 3 of the 7 other internal groups, 3 client hosts on 1 server; a role needs ≥ 3 groups, and ≥ 50% of the others, ≥ 4 client hosts per server or a directory service beside it, or ≥ 12 client hosts at ≥ 4 per server): administration, and d1 is not an admin group: just-in-time, closed until opened on request',
    );
    // Without the app server, 3 of the 6 others = 50%: a role, and lifted.
    expect(ruleIds(generate({ edges: smbFrom(3), groups: [...departments, fileServer] }).rules())).toEqual(['internal>fs:tcp/445']);
  });

  it('with Kerberos to 3 groups beside it, 3 of 7 is a role: open per group (not lifted: 43% < 50%); Kerberos to 2 groups is not enough', () => {
    const kerberos = (count: number) => [4, 5, 6].slice(0, count).map((k) => edge(`10.0.${k}.1`, '10.0.7.1', 88, { proto: 17 }));
    const withDirectory = generate({ edges: [...smbFrom(3), ...kerberos(3)], groups: [...departments, fileServer, appServer] }).rules();
    const smb = withDirectory.filter((r) => r.service === 'tcp/445');
    expect(ruleIds(smb)).toEqual(['d1>fs:tcp/445', 'd2>fs:tcp/445', 'd3>fs:tcp/445']);
    expect(smb.every((r) => r.jit === null)).toBe(true);
    expect(stepOf(smb[0]!, 'role')).toBe('smb tcp/445 is the role of fs (used by 3 of the 7 other internal groups, 3 client hosts on 1 server; it also serves kerberos): always open, not just-in-time');
    const twoOnly = generate({ edges: [...smbFrom(3), ...kerberos(2)], groups: [...departments, fileServer, appServer] }).rules();
    expect(twoOnly.filter((r) => r.service === 'tcp/445').every((r) => r.jit !== null)).toBe(true);
  });

  it('keeps SMB into an app server from one group just-in-time, even when every group uses its HTTPS', () => {
    const edges = [...[1, 2, 3, 4, 5, 6].map((k) => edge(`10.0.${k}.1`, '10.0.8.1', 443)), edge('10.0.1.1', '10.0.8.1', 445)];
    const rules = generate({ edges, groups: [...departments, fileServer, appServer] }).rules();
    expect(ruleIds(rules)).toEqual(['d1>app:tcp/445', 'internal>app:tcp/443']);
    expect(byId(rules, 'd1>app:tcp/445').jit).toEqual({ requesters: [] });
    expect(stepOf(byId(rules, 'd1>app:tcp/445'), 'just-in-time')).toMatch(/^smb tcp\/445 is not the role of app \(used by 1 of the 7 other internal groups, 1 client host on 1 server; /);
  });

  it('opens SMB that is not a role to an admin group, saying so', () => {
    const admins: GroupDef = { id: 'ops', name: 'server admins', labels: { role: 'mgmt' }, members: ['10.0.9.1'] };
    const rules = generate({ edges: [edge('10.0.9.1', '10.0.8.1', 445)], groups: [...departments, fileServer, appServer, admins] }).rules();
    expect(byId(rules, 'ops>app:tcp/445').jit).toBeNull();
    // 9 groups: 8 others for app.
    expect(stepOf(byId(rules, 'ops>app:tcp/445'), 'admin-group')).toBe(
      'smb tcp/445 is not the role of app (used by 1 of the 8 other internal groups, 1 client host on 1 server; a role needs ≥ 3 groups, and ≥ 50% of the others, ≥ 4 client hosts per server or a directory service beside it, or ≥ 12 client hosts at ≥ 4 per server): administration; ops (server admins) is an admin group: open',
    );
  });

  it('in a small estate, SMB from both other groups (2 of 2 = 100%) is still administration: fewer than 3 groups', () => {
    const rules = generate({ edges: [edge('10.0.1.1', '10.0.7.1', 445), edge('10.0.2.1', '10.0.7.1', 445)], groups: [departments[0]!, departments[1]!, fileServer] }).rules();
    expect(ruleIds(rules)).toEqual(['d1>fs:tcp/445', 'd2>fs:tcp/445']);
    expect(rules.every((r) => r.jit !== null)).toBe(true);
  });

  it('opens a role service to outside clients too, and keeps SMB into an outside network just-in-time', () => {
    const edges = [...smbFrom(5), edge('198.51.100.7', '10.0.7.1', 445), edge('10.0.1.1', '203.0.113.9', 445)];
    const rules = generate({ edges, groups: [...departments, fileServer, appServer] }).rules();
    expect(ruleIds(rules)).toEqual(['d1>ext:203.0.113.0/24:tcp/445', 'ext:198.51.100.0/24>fs:tcp/445', 'internal>fs:tcp/445']);
    expect(byId(rules, 'ext:198.51.100.0/24>fs:tcp/445').jit).toBeNull();
    expect(accessSteps(byId(rules, 'ext:198.51.100.0/24>fs:tcp/445'))).toEqual(['role']);
    expect(byId(rules, 'd1>ext:203.0.113.0/24:tcp/445').jit).not.toBeNull();
    expect(stepOf(byId(rules, 'd1>ext:203.0.113.0/24:tcp/445'), 'just-in-time')).toBe(
      'smb tcp/445 into an outside network is administration, and d1 is not an admin group: just-in-time, closed until opened on request',
    );
  });

  it('never lets a port range span SMB, even on a server whose role it is', () => {
    // d1 uses 436–454 on fs (19 ports, 445 among them); d2–d5 use only 445: 5 of 7 others, so 445 is lifted.
    const dense = Array.from({ length: 19 }, (_, k) => edge('10.0.1.1', '10.0.7.1', 436 + k));
    const rules = generate({ edges: [...dense, ...smbFrom(5).slice(1)], groups: [...departments, fileServer, appServer] }).rules();
    // 436–444 and 446–454: 9 ports each, 100% of their range.
    expect(ruleIds(rules)).toEqual(['d1>fs:tcp/436-444', 'd1>fs:tcp/446-454', 'internal>fs:tcp/445']);
    expect(byId(rules, 'internal>fs:tcp/445').evidence.edges.map((e) => e.client)).toEqual(['10.0.1.1', '10.0.2.1', '10.0.3.1', '10.0.4.1', '10.0.5.1']);
  });
});

describe('RuleGenerator: a file server in an estate of server tiers', () => {
  // 3 departments (d1: 3 hosts, d2: 3, d3: 2), fs with 2 file servers, and 10 server tiers t0–t9 that never speak
  // SMB: 14 groups, 13 others for fs, so 3 departments are 3 of 13 ≈ 23%, far below 50%.
  const tiers = Array.from({ length: 10 }, (_, k) => ({ id: `t${k}`, name: `tier ${k}`, members: [`10.1.${k}.1`] }));
  const departments: GroupDef[] = [
    { id: 'd1', members: ['10.0.1.1', '10.0.1.2', '10.0.1.3'] },
    { id: 'd2', members: ['10.0.2.1', '10.0.2.2', '10.0.2.3'] },
    { id: 'd3', members: ['10.0.3.1', '10.0.3.2'] },
  ];
  const fileServers: GroupDef = { id: 'fs', name: 'files', members: ['10.0.9.1', '10.0.9.2'] };
  const workstations = departments.flatMap((d) => d.members);
  const smb = (clients: readonly string[]) => clients.map((c, k) => edge(c, k % 2 === 0 ? '10.0.9.1' : '10.0.9.2', 445));

  it('opens SMB used by 8 client hosts on 2 servers (4 per server, the bar), per department (not lifted at 23%)', () => {
    const rules = generate({ edges: smb(workstations), groups: [...departments, fileServers, ...tiers] }).rules();
    expect(ruleIds(rules)).toEqual(['d1>fs:tcp/445', 'd2>fs:tcp/445', 'd3>fs:tcp/445']);
    expect(rules.every((r) => r.jit === null)).toBe(true);
    expect(stepOf(rules[0]!, 'role')).toBe('smb tcp/445 is the role of fs (used by 3 of the 13 other internal groups, 8 client hosts on 2 servers): always open, not just-in-time');
  });

  it('keeps it just-in-time with 7 client hosts on 2 servers (3.5 per server)', () => {
    const rules = generate({ edges: smb(workstations.slice(0, 7)), groups: [...departments, fileServers, ...tiers] }).rules();
    expect(ruleIds(rules)).toEqual(['d1>fs:tcp/445', 'd2>fs:tcp/445', 'd3>fs:tcp/445']);
    expect(rules.every((r) => r.jit !== null)).toBe(true);
  });

  it('calls SMB from 3 tiers into all 8 workstations administration: 3 client hosts on 8 servers', () => {
    const edges = ['10.1.0.1', '10.1.1.1', '10.1.2.1'].flatMap((admin) => workstations.map((w) => edge(admin, w, 445)));
    const ws: GroupDef = { id: 'ws', name: 'workstations', members: workstations };
    const rules = generate({ edges, groups: [ws, fileServers, ...tiers] }).rules();
    // 12 groups: 3 of the 11 others ≈ 27%.
    expect(ruleIds(rules)).toEqual(['t0>ws:tcp/445', 't1>ws:tcp/445', 't2>ws:tcp/445']);
    expect(rules.every((r) => r.jit !== null)).toBe(true);
    expect(stepOf(rules[0]!, 'just-in-time')).toMatch(/^smb tcp\/445 is not the role of ws \(used by 3 of the 11 other internal groups, 3 client hosts on 8 servers; /);
  });
});

describe('RuleGenerator.update: role decisions follow a regrouping', () => {
  // a1–a7, fs (files) and app: 9 groups, 8 others. SMB on fs from a1–a3 (3 of 8 = 37.5%), Kerberos on fs from
  // a1, a2 and 10.0.4.1 of a4 (3 groups: fs is a directory server, so SMB is its role); SMB on app from a5 only.
  const groups: GroupDef[] = [
    { id: 'a1', members: ['10.0.1.1'] },
    { id: 'a2', members: ['10.0.2.1'] },
    { id: 'a3', members: ['10.0.3.1'] },
    { id: 'a4', members: ['10.0.4.1', '10.0.4.2'] },
    { id: 'a5', members: ['10.0.5.1'] },
    { id: 'a6', members: ['10.0.6.1'] },
    { id: 'a7', members: ['10.0.7.1'] },
    { id: 'fs', name: 'files', members: ['10.0.9.1'] },
    { id: 'app', name: 'billing', members: ['10.0.8.1'] },
  ];
  const edges = [
    ...['10.0.1.1', '10.0.2.1', '10.0.3.1'].map((c) => edge(c, '10.0.9.1', 445)),
    ...['10.0.1.1', '10.0.2.1', '10.0.4.1'].map((c) => edge(c, '10.0.9.1', 88)),
    edge('10.0.5.1', '10.0.8.1', 445),
  ];
  const smbJit = (generator: RuleGenerator): boolean[] => ['a1', 'a2', 'a3'].map((g) => byId(generator.rules(), `${g}>fs:tcp/445`).jit !== null);

  it('rebuilds the SMB rules when a move elsewhere changes the directory evidence, and the evidence counts when the number of groups changes', () => {
    const input = generatorInput({ edges, groups });
    const generator = new RuleGenerator(input);
    expect(smbJit(generator)).toEqual([false, false, false]);
    const assignment = new Map(input.assignment);
    const fresh = (): RuleGenerator => new RuleGenerator({ ...input, assignment: new Map(assignment) });

    // 10.0.4.1 joins a1: Kerberos from a1 and a2 only (2 < 3): no directory server, SMB 3 of 8 is administration.
    // The move touches no SMB edge, yet the three SMB rules change.
    let diff = generator.update([{ ip: '10.0.4.1', to: 'a1' }], input.groups);
    assignment.set('10.0.4.1', 'a1');
    expect(diff).toEqual({ added: [], removed: ['a4>fs:tcp/88', 'a4>fs:udp/88'], changed: ['a1>fs:tcp/445', 'a1>fs:tcp/88', 'a2>fs:tcp/445', 'a3>fs:tcp/445'] });
    expect(smbJit(generator)).toEqual([true, true, true]);
    expect(generator.rules()).toEqual(fresh().rules());

    // a7 empties into a6: 8 groups, 7 others. Nothing flips (3 of 7 ≈ 43%, 1 of 7), but every SMB rule's evidence
    // now counts 7 other groups.
    diff = generator.update([{ ip: '10.0.7.1', to: 'a6' }], input.groups);
    assignment.set('10.0.7.1', 'a6');
    expect(diff).toEqual({ added: [], removed: [], changed: ['a1>fs:tcp/445', 'a2>fs:tcp/445', 'a3>fs:tcp/445', 'a5>app:tcp/445'] });
    expect(stepOf(byId(generator.rules(), 'a5>app:tcp/445'), 'just-in-time')).toMatch(/\(used by 1 of the 7 other internal groups, 1 client host on 1 server; /);
    expect(generator.rules()).toEqual(fresh().rules());

    // 10.0.4.1 back to a4: Kerberos from 3 groups again, SMB on fs is the role again (3 of 7 with a directory service).
    diff = generator.update([{ ip: '10.0.4.1', to: 'a4' }], input.groups);
    assignment.set('10.0.4.1', 'a4');
    expect(diff).toEqual({ added: ['a4>fs:tcp/88', 'a4>fs:udp/88'], removed: [], changed: ['a1>fs:tcp/445', 'a1>fs:tcp/88', 'a2>fs:tcp/445', 'a3>fs:tcp/445'] });
    expect(smbJit(generator)).toEqual([false, false, false]);
    expect(generator.rules()).toEqual(fresh().rules());
  });
});

describe('RuleGenerator: SFTP many stores pull from, SSH from a jump host', () => {
  // 14 store servers (10.1.k.5, group stores) pull files over SSH from two transfer servers, 7 each (mft1, mft2);
  // the jump host (10.0.9.1, an admin group by its name) administers 3 app servers and both transfer servers over SSH.
  const stores = Array.from({ length: 14 }, (_, k) => `10.1.${k + 1}.5`);
  const groups: GroupDef[] = [
    { id: 'stores', name: 'store servers', members: stores },
    { id: 'mft1', name: 'transfer 1', members: ['10.0.5.1'] },
    { id: 'mft2', name: 'transfer 2', members: ['10.0.5.2'] },
    { id: 'app', name: 'app servers', members: ['10.0.6.1', '10.0.6.2', '10.0.6.3'] },
    { id: 'jump', name: 'jump host', members: ['10.0.9.1'] },
  ];
  const edges = [
    ...stores.map((store, k) => edge(store, k < 7 ? '10.0.5.1' : '10.0.5.2', 22)),
    ...['10.0.6.1', '10.0.6.2', '10.0.6.3', '10.0.5.1', '10.0.5.2'].map((server) => edge('10.0.9.1', server, 22)),
  ];

  it('keeps 7 clients on one server administration, opens 14 on two (a hub) after the two groups merge, as a rebuild does', () => {
    const input = generatorInput({ edges, groups });
    const generator = new RuleGenerator(input);
    // 7 store servers per transfer server: below 12 client hosts, just-in-time like any SSH.
    expect(byId(generator.rules(), 'stores>mft1:tcp/22').jit).not.toBeNull();
    // The jump host administers 5 hosts: an admin station, just-in-time to every internal host.
    expect(byId(generator.rules(), 'jump>internal:tcp/22').jit).not.toBeNull();

    const mergedDefs = groups.map((g) => (g.id === 'mft2' ? { ...g, members: [] } : g.id === 'mft1' ? { ...g, members: ['10.0.5.1', '10.0.5.2'] } : g));
    const merged = generatorInput({ edges, groups: mergedDefs });
    const diff = generator.update([{ ip: '10.0.5.2', to: 'mft1' }], merged.groups);
    expect(diff.changed).toContain('stores>mft1:tcp/22');
    expect(generator.rules()).toEqual(new RuleGenerator(merged).rules());

    const sftp = byId(generator.rules(), 'stores>mft1:tcp/22');
    expect(sftp.jit).toBeNull();
    expect(accessSteps(sftp)).toEqual(['role']);
    expect(stepOf(sftp, 'role')).toBe(
      'ssh tcp/22 is the role of mft1 (used by 2 of the 3 other internal groups, 15 client hosts on 2 servers; a hub: ≥ 12 client hosts at ≥ 4 per server): always open, not just-in-time',
    );
    // The jump host's next sessions are still administration.
    expect(byId(generator.rules(), 'jump>internal:tcp/22').jit).not.toBeNull();

    // A move far from SFTP adds a group: the hub's evidence now counts 4 other groups, as a rebuild does.
    const split = generatorInput({ edges, groups: [...mergedDefs.map((g) => (g.id === 'app' ? { ...g, members: ['10.0.6.1', '10.0.6.2'] } : g)), { id: 'app2', name: 'app server 3', members: ['10.0.6.3'] }] });
    generator.update([{ ip: '10.0.6.3', to: 'app2' }], split.groups);
    expect(generator.rules()).toEqual(new RuleGenerator(split).rules());
    expect(stepOf(byId(generator.rules(), 'stores>mft1:tcp/22'), 'role')).toMatch(/^ssh tcp\/22 is the role of mft1 \(used by 2 of the 4 other internal groups, /);
  });
});

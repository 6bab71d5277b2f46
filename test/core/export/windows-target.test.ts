import { describe, expect, it } from 'vitest';
import { WINDOWS_MAX_REMOTE_ADDRESSES } from '../../../src/core/export/windows-model';
import { psRemark, psString, psText } from '../../../src/core/export/windows-print';
import { windowsTarget } from '../../../src/core/export/windows-target';
import { validateWindowsScript } from '../../../src/core/export/windows-validate';
import { parseScript, type PsCommand } from '../../helpers/powershell/commands';
import { tokenize, type PsToken } from '../../helpers/powershell/tokenize';
import { WindowsFirewall } from '../../helpers/powershell/windows-firewall';
import { group, handPolicy, prng, rule, shuffle } from '../policy/fixtures';
import { HOSTILE, hostilePolicy } from './hostile-policy';

// The windows target on a hand-made policy: one script per host and per
// group, each re-runnable and blocking inbound by default once its rules
// are in, rules per protocol and family with their remote addresses (split
// at the per-rule limit), just-in-time rules created disabled, what the
// firewall cannot say noted, and hostile text kept inside strings.

const policy = handPolicy(
  [
    group('g1', ['10.0.1.10', '10.0.1.11', 'fd00::10']),
    group('g2', ['10.0.2.20']),
    group('g3', ['10.0.3.30'], { match: { label: { key: 'role', value: 'db' } } }),
    group('ext:198.51.100.0/24', ['198.51.100.7'], { kind: 'external' }),
  ],
  [
    rule('g1', 'g2', 6, { from: 443, to: 443 }),
    rule('g1', 'g2', 17, { from: 5000, to: 5100 }),
    rule('g2', 'g3', 6, { from: 5432, to: 5432 }, { window: { days: [1], fromHour: 8, toHour: 18, timezone: 'UTC' } }),
    rule('g2', 'g1', 6, { from: 3389, to: 3389 }, { jit: { requesters: [{ user: 'alice', logons: 3 }] } }),
    rule('g1', 'g3', 132, { from: 9899, to: 9899 }),
    rule('internal', 'g2', 1, null),
    rule('g1', 'g2', 47, null),
    rule('g2', 'g1', 6, { from: 8080, to: 8080 }, { identity: { label: { key: 'dept', value: 'ops' } } }),
    rule('g1', 'ext:198.51.100.0/24', 6, { from: 443, to: 443 }),
    rule('g1', 'g2', 6, { from: 22, to: 22 }, { state: 'rejected' }),
  ],
);
const output = windowsTarget(policy);
const file = (path: string): string => output.files.find((entry) => entry.path === path)!.content;
const commandsOf = (content: string): PsCommand[] => parseScript(content).statements.flatMap((statement) => (statement.kind === 'pipeline' ? statement.commands : []));
const newRules = (content: string): PsCommand[] => commandsOf(content).filter((command) => command.name === 'New-NetFirewallRule');
const parameter = (command: PsCommand, name: string): readonly string[] | undefined => command.parameters.get(name.toLowerCase());

describe('windows target', () => {
  it('writes a script per listed host (IPv6 with "_") and per group', () => {
    expect(output.files.map((entry) => entry.path)).toEqual([
      'windows/10.0.1.10.ps1',
      'windows/10.0.1.11.ps1',
      'windows/10.0.2.20.ps1',
      'windows/10.0.3.30.ps1',
      'windows/fd00__10.ps1',
      'windows/groups/g1.ps1',
      'windows/groups/g2.ps1',
      'windows/groups/g3.ps1',
    ]);
    // A host's rules depend on its group only: the group's script holds the same rules.
    expect(newRules(file('windows/groups/g2.ps1'))).toEqual(newRules(file('windows/10.0.2.20.ps1')));
    expect(output.rulesExported + output.rulesSkipped).toBe(policy.rules.length);
  });

  it('runs elevated, stops on errors, removes its earlier rules first and blocks inbound last', () => {
    const content = file('windows/10.0.2.20.ps1');
    expect(content.split('\r\n')[0]).toBe('#Requires -RunAsAdministrator');
    expect(content).not.toMatch(/[^\r]\n/);
    const { statements } = parseScript(content);
    expect(statements[0]).toEqual({ kind: 'assignment', variable: 'ErrorActionPreference', value: ['Stop'] });
    const pipelines = statements.flatMap((statement) => (statement.kind === 'pipeline' ? [statement.commands.map((command) => command.name)] : []));
    expect(pipelines[0]).toEqual(['Get-NetFirewallRule', 'Remove-NetFirewallRule']);
    expect(pipelines.at(-1)).toEqual(['Set-NetFirewallProfile']);
    const profile = commandsOf(content).at(-1)!;
    expect(Object.fromEntries(profile.parameters)).toEqual({ profile: ['Domain', 'Private', 'Public'], defaultinboundaction: ['Block'], enabled: ['True'] });
    for (const command of newRules(content)) {
      expect(parameter(command, 'Group')).toEqual(['Flowfence']);
      expect(parameter(command, 'Direction')).toEqual(['Inbound']);
      expect(parameter(command, 'Action')).toEqual(['Allow']);
    }
  });

  it('opens each rule per protocol, local port and family, with the clients as remote addresses', () => {
    const rules = newRules(file('windows/10.0.2.20.ps1'));
    const summary = rules.map((command) => [parameter(command, 'Protocol')![0], parameter(command, 'LocalPort')?.[0] ?? 'any', parameter(command, 'RemoteAddress')!.join(' ')].join(' '));
    expect(summary).toEqual([
      '47 any 10.0.1.10 10.0.1.11',
      '47 any fd00::10',
      'TCP 443 10.0.1.10 10.0.1.11',
      'TCP 443 fd00::10',
      'UDP 5000-5100 10.0.1.10 10.0.1.11',
      'UDP 5000-5100 fd00::10',
      'ICMPv4 any 10.0.0.0/8 100.64.0.0/10 127.0.0.0/8 169.254.0.0/16 172.16.0.0/12 192.168.0.0/16',
    ]);
    expect(new Set(rules.map((command) => parameter(command, 'Name')![0])).size).toBe(rules.length);
  });

  it('creates just-in-time rules disabled: closed until an administrator enables them', () => {
    const jit = newRules(file('windows/10.0.1.10.ps1')).filter((command) => parameter(command, 'DisplayName')![0]!.includes('g2>g1:tcp/3389'));
    expect(jit).toHaveLength(1);
    expect(parameter(jit[0]!, 'Enabled')).toEqual(['False']);
    expect(parameter(jit[0]!, 'DisplayName')![0]).toContain('just-in-time, closed');
    const note = output.notes.find((entry) => entry.rule === 'g2>g1:tcp/3389')!;
    expect(note).toMatchObject({ target: 'windows', action: 'left-closed' });
    expect(note.instead).toContain('-Enabled False');
    const firewall = WindowsFirewall.run(parseScript(file('windows/10.0.1.10.ps1')).statements);
    expect(firewall.allowsInbound('10.0.2.20', 6, 3389)).toBe(false);
    expect(firewall.allowsInbound('10.0.2.20', 6, 8080)).toBe(true);
  });

  it('notes what Windows Firewall cannot express, never in another target\'s name', () => {
    const notes = (id: string) => output.notes.filter((note) => note.rule === id).map((note) => `${note.action}: ${note.what}`);
    expect(notes('g2>g3:tcp/5432')).toEqual(['left-open: time window Mon 08:00–18:00 UTC']);
    expect(output.notes.find((note) => note.rule === 'g2>g3:tcp/5432')!.instead).toBe('open at all hours: Windows Firewall rules have no time of day');
    expect(notes('g2>g1:tcp/8080')).toEqual(['left-open: identity condition dept=ops']);
    expect(notes('g1>g3:132/9899')).toEqual(['widened: ports of 132/9899']);
    expect(notes('g1>ext:198.51.100.0/24:tcp/443')).toEqual(['left-open: traffic to an outside network']);
    expect(notes('g1>g2:tcp/22')).toEqual(['skipped: a rule the analyst rejected']);
    expect(output.notes.find((note) => note.rule === null)!.action).toBe('left-open');
    for (const note of output.notes) {
      expect(note.target).toBe('windows');
      expect(note.instead).not.toMatch(/iptables|nftables/);
    }
    // SCTP ports cannot be matched: the rule opens the protocol, without -LocalPort.
    const sctp = newRules(file('windows/10.0.3.30.ps1')).find((command) => parameter(command, 'Protocol')![0] === '132')!;
    expect(parameter(sctp, 'LocalPort')).toBeUndefined();
  });

  it(`splits remote address lists at ${WINDOWS_MAX_REMOTE_ADDRESSES} per rule, and the parts add up`, () => {
    const many = Array.from({ length: 1200 }, (_, index) => `10.9.${Math.floor(index / 250)}.${(index % 250) + 1}`);
    const big = windowsTarget(handPolicy([group('clients', many), group('web', ['10.0.0.5'])], [rule('clients', 'web', 6, { from: 443, to: 443 })]));
    const content = big.files.find((entry) => entry.path === 'windows/10.0.0.5.ps1')!.content;
    const rules = newRules(content);
    expect(rules.map((command) => parameter(command, 'RemoteAddress')!.length)).toEqual([500, 500, 200]);
    expect(rules.map((command) => parameter(command, 'Name')![0]!.slice(-2))).toEqual(['-1', '-2', '-3']);
    expect(new Set(rules.flatMap((command) => parameter(command, 'RemoteAddress')!))).toEqual(new Set(many));
    const firewall = WindowsFirewall.run(parseScript(content).statements);
    expect(many.every((ip) => firewall.allowsInbound(ip, 6, 443))).toBe(true);
    expect(firewall.allowsInbound('10.9.9.9', 6, 443)).toBe(false);
  });

  it('is byte-identical whatever the order of groups and rules', () => {
    const random = prng(7);
    for (let round = 0; round < 3; round++) {
      const shuffled = { ...policy, groups: shuffle(random, policy.groups), rules: shuffle(random, policy.rules) };
      expect(windowsTarget(shuffled)).toEqual(output);
    }
  });

  it('refuses a script New-NetFirewallRule would reject or misread', () => {
    const base = { action: 'Allow' as const, name: 'Flowfence-x', displayName: 'x', description: '', enabled: true, protocol: { kind: 'name', name: 'TCP' } as const, localPorts: { from: 80, to: 80 }, remoteAddresses: ['10.0.0.1'], remark: '' };
    const problems = (changes: object) => validateWindowsScript({ header: [], group: 'Flowfence', rules: [{ ...base, ...changes }], stage: null });
    expect(problems({})).toEqual([]);
    expect(problems({ remoteAddresses: [] })[0]).toContain('any address');
    expect(problems({ remoteAddresses: ['10.0.0.1/8'] })[0]).toContain('canonical');
    expect(problems({ name: 'a|b' })[0]).toContain('name');
    expect(problems({ protocol: { kind: 'number', number: 132 } })[0]).toContain('TCP or UDP');
    expect(problems({ localPorts: { from: 90, to: 80 } })[0]).toContain('1–65535');
    expect(problems({ remoteAddresses: Array.from({ length: 501 }, (_, i) => `10.0.${Math.floor(i / 200)}.${(i % 200) + 1}`) })[0]).toContain('more than 500');
  });
});

describe('PowerShell escaping', () => {
  const QUOTES = ["'", '\u2018', '\u2019', '\u201a', '\u201b'];
  const stringTokens = (tokens: readonly PsToken[]) => tokens.filter((token) => token.kind === 'string');

  it('reads every text back as exactly one string token equal to it, whichever quote characters it holds', () => {
    const texts = [...HOSTILE, ...QUOTES, QUOTES.join(''), `a${QUOTES.join('b')}c`, "''", "it's", '$(Remove-Item C:\\ -Recurse)', '`n', '"; exit; "', '#>', '<#'];
    for (const text of texts) {
      const clean = psText(text, 10_000);
      const tokens = tokenize(psString(clean));
      expect(tokens, JSON.stringify(text)).toHaveLength(1);
      expect(tokens[0]).toEqual({ kind: 'string', raw: psString(clean), value: clean });
    }
  });

  it('doubles each of the five quote characters', () => {
    for (const quote of QUOTES) expect(psString(`a${quote}b`)).toBe(`'a${quote}${quote}b'`);
  });

  it('turns controls, separators and bidirectional overrides into spaces, "|" into "/", and cuts whole characters', () => {
    expect(psText('a\nb\r\tc\u2028d\u2029e\u202ef\u0085g|h', 100)).toBe('a b  c d e f g/h');
    expect(psText('\u{1F600}\u{1F600}\u{1F600}', 2)).toBe('\u{1F600}\u{1F600}');
    expect(psRemark('x\r\nNew-NetFirewallRule')).toBe('# x??New-NetFirewallRule');
  });

  it('keeps a hostile policy\'s names and ids inside single strings: every script parses, and nothing else holds them', () => {
    const hostile = windowsTarget(hostilePolicy());
    expect(hostile.files.length).toBeGreaterThan(5);
    const KEYWORDS = new Set(['New-NetFirewallRule', 'Get-NetFirewallRule', 'Remove-NetFirewallRule', 'Set-NetFirewallProfile', 'Out-Null', 'SilentlyContinue', 'Inbound', 'Allow', 'Block', 'Any', 'True', 'False', 'TCP', 'UDP', 'ICMPv4', 'ICMPv6', 'Domain', 'Private', 'Public']);
    const PARAMETERS = new Set(['Name', 'DisplayName', 'Description', 'Group', 'Direction', 'Action', 'Profile', 'Enabled', 'Protocol', 'LocalPort', 'RemoteAddress', 'ErrorAction', 'DefaultInboundAction']);
    const carried = [HOSTILE[0]!, HOSTILE[3]!, HOSTILE[5]!, 'g4"\nflush ruleset\n#'].map((text) => psText(text, 10_000));
    const seen = new Set<string>();
    for (const { path, content } of hostile.files) {
      const { statements, tokens } = parseScript(content);
      WindowsFirewall.run(statements);
      for (const token of tokens) {
        if (token.kind === 'word') expect(KEYWORDS.has(token.raw) || /^[0-9]+$/.test(token.raw), `${path}: ${token.raw}`).toBe(true);
        if (token.kind === 'parameter') expect(PARAMETERS.has(token.name), `${path}: ${token.raw}`).toBe(true);
        if (token.kind === 'variable') expect(token.name).toBe('ErrorActionPreference');
        if (token.kind === 'comment') expect(token.raw).toMatch(/^#[\x20-\x7e]*$/);
      }
      for (const token of stringTokens(tokens)) {
        if (token.kind !== 'string') continue;
        // The raw text is the value with each quote character doubled: nothing in it was read as anything else.
        expect(token.raw).toBe(psString(token.value));
        for (const text of carried) if (token.value.includes(text)) seen.add(text);
      }
      // Outside strings and comments, no trace of the hostile text.
      const code = tokens.filter((token) => token.kind !== 'string' && token.kind !== 'comment').map((token) => token.raw).join(' ');
      expect(code).not.toMatch(/flush|<script|alert|calc|@SUM|caf/);
    }
    expect([...seen].sort()).toEqual([...carried].sort());
  });

  it('names group scripts safely, whatever the group id', () => {
    const odd = windowsTarget(handPolicy([group('g4"\nflush ruleset\n#', ['10.0.4.40']), group('CON', ['10.0.4.41']), group('a/../b', ['10.0.4.42']), group('g1', ['10.0.4.1'])], [rule('g1', 'CON', 6, { from: 80, to: 80 })]));
    const names = odd.files.map((entry) => entry.path).filter((path) => path.startsWith('windows/groups/'));
    expect(names).toHaveLength(4);
    for (const name of names) expect(name).toMatch(/^windows\/groups\/[A-Za-z0-9_][A-Za-z0-9._-]*\.ps1$/);
    expect(names).toContain('windows/groups/g1.ps1');
    expect(names.some((name) => /\/CON\.ps1$/i.test(name))).toBe(false);
  });
});

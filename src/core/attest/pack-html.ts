import { MEASURES_STYLE, measuresSection } from '../measures/measures-html';
import { describeWindow } from '../policy/time-window';
import { escapeHtml } from './html-escape';
import { selfContainedPage } from './html-page';
import type { PackContent, PackRule } from './pack-model';

/**
 * One owner's pack as a self-contained HTML page: no script, no external
 * resource, a Content-Security-Policy that allows nothing but its own
 * stylesheet (by hash), and print styles so that it prints cleanly to PDF
 * (tables keep their headers on every page, the decision sheet starts a page).
 * Every value from the inputs is escaped; nothing in it is markup.
 */
export function packHtml(pack: PackContent): string {
  const title = `Attestation pack: ${pack.owner ?? 'groups without an owner'}`;
  const body = [
    `<header><h1>${escapeHtml(title)}</h1>`,
    `<p>Owner label <code>${escapeHtml(pack.ownerLabel)}</code> · policy <code>${escapeHtml(pack.policySha256)}</code> · made ${escapeHtml(pack.generatedAt)}</p></header>`,
    summary(pack),
    membersSection(pack),
    rulesSection(pack),
    jitSection(pack),
    exceptionsSection(pack),
    replaySection(pack),
    coverageSection(pack),
    measuresOfSuccess(pack),
    changesSection(pack),
    decisionSheet(pack),
  ].join('\n');
  return selfContainedPage(title, STYLE, body);
}

const STYLE = `
body{font:10pt/1.4 system-ui,sans-serif;color:#111;margin:2em}
h1{font-size:16pt}h2{font-size:12pt;margin-top:1.6em;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #bbb;padding:2px 4px;text-align:left;vertical-align:top}
th{background:#eee}code{font-size:9pt;word-break:break-all}.muted{color:#555}.fill{height:2.2em;min-width:6em}
ul{margin:.2em 0;padding-left:1.2em}
@media print{body{margin:0}thead{display:table-header-group}tr{break-inside:avoid}h2{break-after:avoid}.decision-sheet{break-before:page}}
@page{size:A4;margin:14mm}
${MEASURES_STYLE}
`;

const cell = (text: string | number): string => `<td>${escapeHtml(String(text))}</td>`;
const table = (head: readonly string[], rows: readonly string[]): string =>
  rows.length === 0 ? '<p class="muted">None.</p>' : `<table><thead><tr>${head.map((name) => `<th>${escapeHtml(name)}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
/** "2026-01-05 00:06 UTC": to the minute, which is all a reviewer reads. */
const minutes = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
const missing = (what: string): string => `<p class="muted">${escapeHtml(what)}</p>`;

/** The estate's measures, charted (inline SVG: no script, no style the CSP would refuse; measure-charts.ts). */
function measuresOfSuccess(pack: PackContent): string {
  if (pack.measures === null) return `<section><h2>Measures of success</h2>${missing('Not measured: attest was given no measures.')}</section>`;
  return measuresSection(pack.measures, 'pack-measures', 'Measures of success (the whole estate)');
}

function summary(pack: PackContent): string {
  const jit = pack.rules.filter((entry) => entry.rule.jit !== null).length;
  const items = [
    `${pack.groups.length} group${pack.groups.length === 1 ? '' : 's'}, ${pack.members.length} host${pack.members.length === 1 ? '' : 's'}`,
    `${pack.rules.length} rule${pack.rules.length === 1 ? '' : 's'} to decide, ${jit} of them just-in-time`,
    pack.anomalies === null ? 'anomalies: not available' : `${pack.anomalies.length} flagged anomal${pack.anomalies.length === 1 ? 'y' : 'ies'}`,
    pack.replay === null ? 'replay: no flows were given' : `replay: ${pack.replay.permittedEdges} edges permitted, ${pack.replay.escapedEdges} would be blocked`,
  ];
  return `<section><h2>Summary</h2><ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>
<table><thead><tr><th>Group</th><th>Name</th><th>Kind</th><th>Hosts</th></tr></thead><tbody>${pack.groups.map((group) => `<tr>${cell(group.id)}${cell(group.name)}${cell(group.kind)}${cell(group.members.length)}</tr>`).join('')}</tbody></table></section>`;
}

function membersSection(pack: PackContent): string {
  const rows = pack.members.map((member) => `<tr>${cell(member.ip)}${cell(member.group)}${cell(member.reason ?? 'not available (groups.csv not found beside the policy)')}</tr>`);
  return `<section><h2>Members and why they are in the group</h2>${table(['Host', 'Group', 'Reason'], rows)}</section>`;
}

function ruleConditions(entry: PackRule): string {
  const { rule } = entry;
  const parts = [
    rule.window === null ? null : `window ${describeWindow(rule.window)}`,
    rule.identity === null ? null : `only clients labelled ${rule.identity.label.key}=${rule.identity.label.value}`,
    rule.jit === null ? null : 'just-in-time: closed until requested',
  ].filter((part): part is string => part !== null);
  return parts.length === 0 ? 'always open' : parts.join('; ');
}

function rulesSection(pack: PackContent): string {
  const rows = pack.rules.map((entry) => {
    const { rule } = entry;
    const evidence = `${rule.evidence.flows} flows, ${rule.evidence.clients} clients to ${rule.evidence.servers} servers${rule.evidence.firstSeen === null ? '' : `, ${minutes(rule.evidence.firstSeen)} to ${minutes(rule.evidence.lastSeen ?? rule.evidence.firstSeen)}`}`;
    const steps = rule.evidence.steps.length === 0 ? '<td class="muted">as observed</td>' : `<td><ul>${rule.evidence.steps.map((step) => `<li>${escapeHtml(`${step.step}: ${step.detail}`)}</li>`).join('')}</ul></td>`;
    return `<tr>${cell(rule.id)}${cell(entry.side)}${cell(`${entry.fromName} → ${entry.toName}`)}${cell(rule.service)}${cell(rule.state)}${cell(ruleConditions(entry))}${cell(evidence)}${steps}<td><code>${escapeHtml(entry.evidenceSha256.slice(0, 16))}</code></td></tr>`;
  });
  return `<section><h2>Rules touching these groups</h2>${table(['Rule', 'Side', 'From → to', 'Service', 'State', 'Conditions', 'Evidence', 'Generalisation steps', 'Evidence digest'], rows)}</section>`;
}

function jitSection(pack: PackContent): string {
  const rows = pack.rules
    .filter((entry) => entry.rule.jit !== null)
    .map((entry) => `<tr>${cell(entry.rule.id)}${cell(`${entry.fromName} → ${entry.toName}`)}${cell(entry.rule.jit!.requesters.length === 0 ? 'no logon seen' : entry.rule.jit!.requesters.map((requester) => `${requester.user} (${requester.logons} logons)`).join(', '))}</tr>`);
  return `<section><h2>Just-in-time access and its candidate requesters</h2>${table(['Rule', 'From → to', 'Candidate requesters'], rows)}</section>`;
}

function exceptionsSection(pack: PackContent): string {
  const rejected = pack.rules.filter((entry) => entry.rule.state === 'rejected').map((entry) => `<tr>${cell(entry.rule.id)}${cell('rule rejected by the analyst: not enforced')}</tr>`);
  const anomalies =
    pack.anomalies === null
      ? missing('Flagged anomalies: not available (anomalies.csv not found beside the policy).')
      : table(['Kind', 'From', 'To', 'Why it was flagged'], pack.anomalies.map((anomaly) => `<tr>${cell(anomaly.kind)}${cell(anomaly.src)}${cell(anomaly.dst)}${cell(anomaly.reason)}</tr>`));
  return `<section><h2>Exceptions and flagged anomalies</h2>${table(['Rule', 'Exception'], rejected)}<h3>Flagged anomalies (left out of the rules until accepted)</h3>${anomalies}</section>`;
}

function replaySection(pack: PackContent): string {
  const { replay } = pack;
  if (replay === null) return `<section><h2>Replay and exposure</h2>${missing('No flows were given to attest: run it with the flow exports to replay them against the policy.')}</section>`;
  const rows = replay.escaped.map((edge) => `<tr>${cell(edge.client)}${cell(edge.server)}${cell(edge.service)}${cell(edge.flows)}${cell(edge.reason)}</tr>`);
  return `<section><h2>Replay and exposure</h2><ul>
<li>${escapeHtml(`${replay.permittedEdges} edges (${replay.permittedFlows} flows) permitted, ${replay.escapedEdges} edges (${replay.escapedFlows} flows) the policy would block`)}</li>
<li>${escapeHtml(`host pairs that may connect, one end in these groups: ${replay.exposureBefore} with no policy, ${replay.exposureAfter} with this policy`)}</li>
</ul>${table(['Client', 'Server', 'Service', 'Flows', 'Why it would be blocked'], rows)}</section>`;
}

function coverageSection(pack: PackContent): string {
  const { coverage } = pack;
  if (coverage === null) return `<section><h2>Data coverage</h2>${missing('No flows were given to attest: coverage unknown.')}</section>`;
  const sources = coverage.sources.map((source) => `<tr>${cell(source.name)}${cell(source.format)}${cell(source.accepted)}${cell(source.rejected)}</tr>`);
  const gaps = coverage.gaps.map((gap) => `<tr>${cell(gap.from)}${cell(gap.to)}${cell(gap.hours)}</tr>`);
  return `<section><h2>Data coverage</h2><p>${escapeHtml(`${coverage.daysObserved} days with traffic (${coverage.hoursObserved} hours), from ${coverage.from ?? '?'} to ${coverage.to ?? '?'}`)}</p>
${table(['Source', 'Format', 'Records accepted', 'Rejected'], sources)}<h3>Gaps in time</h3>${table(['From', 'To', 'Hours'], gaps)}</section>`;
}

function changesSection(pack: PackContent): string {
  const { changes } = pack;
  if (changes === null) return `<section><h2>Changes since the previous attested policy</h2>${missing('No previous attested policy was given: this is a first attestation.')}</section>`;
  const list = (label: string, ids: readonly string[]): string => `<tr>${cell(label)}${cell(ids.length === 0 ? 'none' : ids.join(', '))}</tr>`;
  return `<section><h2>Changes since the previous attested policy</h2><p>Previous policy <code>${escapeHtml(changes.previousSha256)}</code></p><table><tbody>${list('Added', changes.added)}${list('Removed', changes.removed)}${list('Changed', changes.changed)}</tbody></table></section>`;
}

function decisionSheet(pack: PackContent): string {
  const rows = pack.rules.map((entry) => `<tr>${cell(entry.rule.id)}${cell(entry.rule.service)}<td class="fill">certify / decertify</td><td class="fill"></td><td class="fill"></td><td class="fill"></td></tr>`);
  return `<section class="decision-sheet"><h2>Decision sheet</h2><p>Per rule: certify or decertify, a justification, a ticket and an expiry date. Fill decisions.csv with the same columns to import them (flowfence attest --import).</p>
${table(['Rule', 'Service', 'Decision', 'Justification', 'Ticket', 'Expiry'], rows)}
<table><tbody><tr><th>Owner name</th><td class="fill"></td><th>Date</th><td class="fill"></td></tr><tr><th>Signature</th><td class="fill" colspan="3"></td></tr></tbody></table></section>`;
}

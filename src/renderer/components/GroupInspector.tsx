import { useDeferredValue, useMemo, useState } from 'react';
import type { PolicyGroup } from '../../core/policy/policy-model';
import type { AnalysisSummary } from '../../core/report/summary';
import type { WorkbenchView } from '../../core/workbench/workbench';
import type { HostFact } from '../engine/protocol';
import { formatCount } from '../format/numbers';
import { describeMatch } from '../model/describe-match';
import { useAppStore } from '../store/app-store';
import { useWorkbench } from './workbench-context';
import { isStageable } from '../../core/policy/enforcement-stage';
import { StageEditor } from './StageEditor';

/** Members listed at once; a filter finds the others. */
export const MEMBERS_SHOWN = 200;

/**
 * One group: its members with the reason each is there, its confidence,
 * membership rule and labels; rename, merge, split, pin and move hosts,
 * approve the group, and set its enforcement stage. Every action is an
 * edit the engine applies (and undo takes back).
 */
export function GroupInspector(props: {
  readonly group: string;
  readonly view: WorkbenchView;
  readonly summary: AnalysisSummary;
  readonly hosts: ReadonlyMap<string, HostFact>;
  readonly expanded: boolean;
}) {
  const { view, summary, hosts } = props;
  const controller = useWorkbench();
  const groupExpanded = useAppStore((state) => state.groupExpanded);
  const groupSelected = useAppStore((state) => state.groupSelected);
  const group = view.policy.groups.find((entry) => entry.id === props.group);
  const [name, setName] = useState(group?.name ?? '');
  const [mergeInto, setMergeInto] = useState('');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [splitName, setSplitName] = useState('');
  const [filter, setFilter] = useState('');
  const deferred = useDeferredValue(filter.trim().toLowerCase());
  const internal = useMemo(() => view.policy.groups.filter((entry) => entry.kind !== 'external' && entry.kind !== 'all-internal'), [view.policy]);
  const members = useMemo(() => {
    if (group === undefined) return [];
    if (deferred === '') return group.members;
    return group.members.filter((ip) => ip.includes(deferred) || hosts.get(ip)?.name?.toLowerCase().includes(deferred) === true);
  }, [group, hosts, deferred]);

  if (group === undefined) {
    return (
      <aside className="inspector" aria-label="Group inspector">
        <p>This group no longer exists (a regrouping merged or emptied it).</p>
        <button type="button" onClick={() => groupSelected(null)}>
          Close
        </button>
      </aside>
    );
  }
  const internalGroup = group.kind !== 'external' && group.kind !== 'all-internal';
  const discovered = summary.groups.find((entry) => entry.id === group.id);
  const approved = view.approvedGroups.includes(group.id);
  const pinned = new Set(view.pinned);
  const edit = (op: Parameters<typeof controller.edit>[0]) => controller.edit(op);

  return (
    <aside className="inspector" aria-label={`Group inspector: ${group.name}`}>
      <header className="inspector-head">
        <h2>{group.name}</h2>
        <button type="button" aria-label="Close the inspector" onClick={() => groupSelected(null)}>
          ×
        </button>
      </header>
      <dl className="inspector-facts">
        <dt>Id</dt>
        <dd>{group.id}</dd>
        <dt>Kind</dt>
        <dd>{group.kind}</dd>
        <dt>Hosts</dt>
        <dd>{formatCount(group.kind === 'all-internal' ? summary.enrichment.internalHosts : group.members.length)}</dd>
        {internalGroup && (
          <>
            <dt>Confidence</dt>
            <dd>{discovered === undefined ? 'made by a regrouping' : `${Math.round(discovered.confidence * 100)}% (discovery)`}</dd>
          </>
        )}
        <dt>Membership rule</dt>
        <dd>{describeMatch(group.match)}</dd>
        <dt>Labels</dt>
        <dd>{Object.keys(group.labels).length === 0 ? 'none agreed by all members' : Object.entries(group.labels).map(([key, value]) => `${key}=${value}`).join(', ')}</dd>
        {(view.wouldBreak[group.id] ?? 0) > 0 && (
          <>
            <dt>Would break</dt>
            <dd className="is-warn">{formatCount(view.wouldBreak[group.id]!)} replayed edges</dd>
          </>
        )}
      </dl>
      {internalGroup && (
        <div className="inspector-actions">
          <button type="button" onClick={() => groupExpanded(group.id, !props.expanded)}>
            {props.expanded ? 'Collapse on the map' : 'Expand on the map'}
          </button>
          <button type="button" aria-pressed={approved} onClick={() => void edit({ kind: 'approve-group', group: group.id, approved: !approved })}>
            {approved ? 'Approved: withdraw' : 'Approve group'}
          </button>
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              if (name.trim() !== '' && name !== group.name) void edit({ kind: 'group', op: { op: 'rename', group: group.id, name: name.trim() } });
            }}
          >
            <label>
              Name <input value={name} onChange={(event) => setName(event.target.value)} maxLength={200} />
            </label>
            <button type="submit">Rename</button>
          </form>
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              if (mergeInto !== '') void edit({ kind: 'group', op: { op: 'merge', from: group.id, into: mergeInto } }).then((done) => done && groupSelected(mergeInto));
            }}
          >
            <label>
              Merge into{' '}
              <select value={mergeInto} onChange={(event) => setMergeInto(event.target.value)}>
                <option value="">choose a group</option>
                {internal
                  .filter((entry) => entry.id !== group.id)
                  .map((entry) => (
                    <option key={entry.id} value={entry.id}>
                      {entry.name}
                    </option>
                  ))}
              </select>
            </label>
            <button type="submit" disabled={mergeInto === ''}>
              Merge
            </button>
          </form>
        </div>
      )}
      {isStageable(group) && <StageEditor key={JSON.stringify(group.stage ?? null)} group={group} view={view} />}
      {internalGroup && (
        <section className="inspector-members" aria-label="Members">
          <div className="table-tools">
            <label>
              Find <input type="search" value={filter} onChange={(event) => setFilter(event.target.value)} placeholder="address or name" />
            </label>
            <span className="table-count">
              {members.length > MEMBERS_SHOWN ? `first ${formatCount(MEMBERS_SHOWN)} of ${formatCount(members.length)}` : `${formatCount(members.length)} members`}
            </span>
          </div>
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              const hostsToSplit = group.members.filter((ip) => chosen.has(ip));
              if (hostsToSplit.length === 0) return;
              void edit({ kind: 'group', op: { op: 'split', group: group.id, hosts: hostsToSplit, ...(splitName.trim() === '' ? {} : { name: splitName.trim() }) } }).then((done) => {
                if (done) setChosen(new Set());
              });
            }}
          >
            <label>
              New group <input value={splitName} onChange={(event) => setSplitName(event.target.value)} placeholder={`${group.name} (split)`} maxLength={200} />
            </label>
            <button type="submit" disabled={chosen.size === 0 || chosen.size === group.members.length}>
              Split {formatCount(chosen.size)} chosen
            </button>
          </form>
          <ul className="member-list">
            {members.slice(0, MEMBERS_SHOWN).map((ip) => (
              <MemberRow
                key={ip}
                ip={ip}
                host={hosts.get(ip)}
                group={group}
                groups={internal}
                pinned={pinned.has(ip)}
                chosen={chosen.has(ip)}
                onChoose={(on) => setChosen((before) => toggled(before, ip, on))}
              />
            ))}
          </ul>
        </section>
      )}
    </aside>
  );
}

function MemberRow(props: {
  readonly ip: string;
  readonly host: HostFact | undefined;
  readonly group: PolicyGroup;
  readonly groups: readonly PolicyGroup[];
  readonly pinned: boolean;
  readonly chosen: boolean;
  readonly onChoose: (chosen: boolean) => void;
}) {
  const controller = useWorkbench();
  const { ip, host, group } = props;
  const movedHere = host !== undefined && host.discoveredGroup !== group.id;
  return (
    <li className="member" data-host={ip}>
      <label className="member-id">
        <input type="checkbox" checked={props.chosen} onChange={(event) => props.onChoose(event.target.checked)} aria-label={`choose ${ip} for a split`} />
        <span className="mono">{ip}</span>
        {host?.name !== null && host?.name !== undefined && <span className="member-name">{host.name}</span>}
      </label>
      <p className="member-reason">
        {movedHere ? `Placed here by the analyst (discovery chose ${host.discoveredGroup}). ` : ''}
        {host === undefined ? 'Not in discovery (no reason recorded).' : `${host.reason} (confidence ${Math.round(host.confidence * 100)}%)`}
        {host !== undefined && host.labelConflicts.length > 0 && <span className="is-warn"> Labels that disagree with the group: {host.labelConflicts.join(', ')}.</span>}
      </p>
      <div className="member-actions">
        <label>
          Move to{' '}
          <select
            value=""
            aria-label={`move ${ip} to another group`}
            onChange={(event) => {
              if (event.target.value !== '') void controller.edit({ kind: 'group', op: { op: 'move', ip, to: event.target.value } });
            }}
          >
            <option value="">…</option>
            {props.groups
              .filter((entry) => entry.id !== group.id)
              .map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.name}
                </option>
              ))}
          </select>
        </label>
        <button type="button" aria-pressed={props.pinned} onClick={() => void controller.edit({ kind: 'group', op: { op: 'pin', ip, pinned: !props.pinned } })}>
          {props.pinned ? 'Pinned' : 'Pin'}
        </button>
      </div>
    </li>
  );
}

function toggled(set: ReadonlySet<string>, value: string, on: boolean): Set<string> {
  const next = new Set(set);
  if (on) next.add(value);
  else next.delete(value);
  return next;
}

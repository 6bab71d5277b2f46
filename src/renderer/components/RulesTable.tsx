import { Fragment, memo, useDeferredValue, useMemo, useState } from 'react';
import type { RuleView } from '../../core/workbench/policy-view';
import { describeWindow } from '../../core/policy/time-window';
import type { WorkbenchView } from '../../core/workbench/workbench';
import { formatCount } from '../format/numbers';
import { filterRules, groupNames } from '../model/rule-filter';
import { DecisionForm } from './DecisionForm';
import { RuleEvidence } from './RuleEvidence';
import { useWorkbench } from './workbench-context';

/** Rows drawn at once: enough to scroll through, few enough for React to draw at once; a filter narrows the rest. */
export const RULES_SHOWN = 500;

type StateFilter = 'all' | RuleView['state'];

/**
 * Every rule of the policy: from, to, service, state, just-in-time, window,
 * flows, first and last seen, with its evidence one click away. A rule is
 * approved or rejected with a reason (one rule, or every rule the filters
 * keep at once); a rejected rule stops granting in the replay. Typing in
 * the filter never blocks the page.
 */
export const RulesTable = memo(function RulesTable({ view }: { readonly view: WorkbenchView }) {
  const { policy, ruleDecisions } = view;
  const controller = useWorkbench();
  const [filter, setFilter] = useState('');
  const [group, setGroup] = useState('');
  const [state, setState] = useState<StateFilter>('all');
  const [open, setOpen] = useState<string | null>(null);
  const [deciding, setDeciding] = useState<{ ids: readonly string[]; decision: 'approved' | 'rejected' } | null>(null);
  const deferred = useDeferredValue(filter);
  const nameOf = useMemo(() => groupNames(policy), [policy]);
  const matching = useMemo(
    () => filterRules(policy, deferred, nameOf).filter((rule) => (group === '' || rule.from === group || rule.to === group) && (state === 'all' || rule.state === state)),
    [policy, deferred, nameOf, group, state],
  );
  const shown = matching.slice(0, RULES_SHOWN);
  const groups = useMemo(() => policy.groups.filter((entry) => entry.kind !== 'all-internal'), [policy]);
  // After a decision, or its cancelling, the focus goes back to the rule's row (or the table), not to the top of the page.
  const finish = (ids: readonly string[]) => {
    setDeciding(null);
    requestAnimationFrame(() => {
      const row = ids.length === 1 ? document.querySelector<HTMLElement>(`[data-rule="${CSS.escape(ids[0]!)}"] button`) : null;
      (row ?? document.getElementById('rules-caption'))?.focus();
    });
  };
  const decide = (ids: readonly string[], decision: 'approved' | 'rejected', reason: string) =>
    controller.edit({ kind: 'rules', rules: ids, decision, reason }).then((done) => {
      if (done) finish(ids);
    });
  const filtered = matching.length !== policy.rules.length;
  return (
    <section className="rules" aria-labelledby="rules-caption">
      <div className="table-tools">
        <label>
          Filter rules <input type="search" value={filter} onChange={(event) => setFilter(event.target.value)} placeholder="group, name or service" />
        </label>
        <label>
          Group{' '}
          <select value={group} onChange={(event) => setGroup(event.target.value)}>
            <option value="">any</option>
            {groups.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          State{' '}
          <select value={state} onChange={(event) => setState(event.target.value as StateFilter)}>
            <option value="all">any</option>
            <option value="proposed">proposed</option>
            <option value="approved">approved</option>
            <option value="rejected">rejected</option>
          </select>
        </label>
        <span className="table-count" role="status">
          {filtered ? `${formatCount(matching.length)} of ${formatCount(policy.rules.length)} rules` : `${formatCount(policy.rules.length)} rules`}
          {matching.length > RULES_SHOWN && ` (the first ${formatCount(RULES_SHOWN)} shown: filter to narrow)`}
        </span>
        {filtered && matching.length > 0 && (
          <span className="bulk-actions">
            <button type="button" onClick={() => setDeciding({ ids: matching.map((rule) => rule.id), decision: 'approved' })}>
              Approve all {formatCount(matching.length)}…
            </button>
            <button type="button" onClick={() => setDeciding({ ids: matching.map((rule) => rule.id), decision: 'rejected' })}>
              Reject all {formatCount(matching.length)}…
            </button>
          </span>
        )}
      </div>
      {deciding !== null && deciding.ids.length > 1 && (
        <DecisionForm what={`${formatCount(deciding.ids.length)} rules`} decision={deciding.decision} onSubmit={(reason) => decide(deciding.ids, deciding.decision, reason)} onCancel={() => finish(deciding.ids)} />
      )}
      <table className="data-table">
        <caption id="rules-caption" tabIndex={-1}>
          Rules
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Evidence</span>
            </th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Service</th>
            <th scope="col">State</th>
            <th scope="col">Just in time</th>
            <th scope="col">Window</th>
            <th scope="col" className="num">
              Flows
            </th>
            <th scope="col">First seen</th>
            <th scope="col">Last seen</th>
            <th scope="col">Decision</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((rule) => {
            const decision = ruleDecisions[rule.id];
            const single = deciding !== null && deciding.ids.length === 1 && deciding.ids[0] === rule.id ? deciding : null;
            return (
              <Fragment key={rule.id}>
                <tr data-rule={rule.id} className={`rule-${rule.state}`}>
                  <td>
                    <button type="button" className="link-button" aria-expanded={open === rule.id} aria-label={`evidence of ${rule.id}`} onClick={() => setOpen(open === rule.id ? null : rule.id)}>
                      {open === rule.id ? '▾' : '▸'}
                    </button>
                  </td>
                  <td title={rule.from}>{nameOf.get(rule.from) ?? rule.from}</td>
                  <td title={rule.to}>{nameOf.get(rule.to) ?? rule.to}</td>
                  <td>{rule.service}</td>
                  <td title={decision?.reason}>{rule.state}</td>
                  <td>{rule.jit === null ? '' : 'yes'}</td>
                  <td>{rule.window === null ? '' : describeWindow(rule.window)}</td>
                  <td className="num">{formatCount(rule.evidence.flows)}</td>
                  <td>{rule.evidence.firstSeen ?? ''}</td>
                  <td>{rule.evidence.lastSeen ?? ''}</td>
                  <td className="decision-cell">
                    {rule.state !== 'approved' && (
                      <button type="button" onClick={() => setDeciding({ ids: [rule.id], decision: 'approved' })} aria-label={`approve ${rule.id}`}>
                        Approve
                      </button>
                    )}
                    {rule.state !== 'rejected' && (
                      <button type="button" onClick={() => setDeciding({ ids: [rule.id], decision: 'rejected' })} aria-label={`reject ${rule.id}`}>
                        Reject
                      </button>
                    )}
                    {decision !== undefined && (
                      <button type="button" onClick={() => void controller.edit({ kind: 'rules', rules: [rule.id], decision: null, reason: '' })} aria-label={`clear the decision on ${rule.id}`}>
                        Clear
                      </button>
                    )}
                  </td>
                </tr>
                {single !== null && (
                  <tr className="decision-row">
                    <td colSpan={11}>
                      <DecisionForm what={`rule ${rule.id}`} decision={single.decision} onSubmit={(reason) => decide([rule.id], single.decision, reason)} onCancel={() => finish([rule.id])} />
                    </td>
                  </tr>
                )}
                {open === rule.id && (
                  <tr className="evidence-row">
                    <td colSpan={11}>
                      <RuleEvidence rule={rule} decision={decision} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </section>
  );
});

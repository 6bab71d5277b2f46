import { memo, useDeferredValue, useMemo, useState } from 'react';
import type { Policy } from '../../core/policy/policy-model';
import { describeWindow } from '../../core/policy/time-window';
import { formatCount } from '../format/numbers';
import { filterRules, groupNames } from '../model/rule-filter';

/** Rows drawn at once: enough to scroll through, few enough for React to draw at once; a filter narrows the rest. */
export const RULES_SHOWN = 500;

/**
 * Every rule of the policy: from, to, service, state, just-in-time, window,
 * flows, first and last seen. The filter matches any of the shown texts
 * (group ids and names, service); typing never blocks the page.
 */
export const RulesTable = memo(function RulesTable({ policy }: { readonly policy: Policy }) {
  const [filter, setFilter] = useState('');
  const deferred = useDeferredValue(filter);
  const nameOf = useMemo(() => groupNames(policy), [policy]);
  const matching = useMemo(() => filterRules(policy, deferred, nameOf), [policy, deferred, nameOf]);
  const shown = matching.slice(0, RULES_SHOWN);
  return (
    <section className="rules" aria-labelledby="rules-caption">
      <div className="table-tools">
        <label>
          Filter rules <input type="search" value={filter} onChange={(event) => setFilter(event.target.value)} placeholder="group, name or service" />
        </label>
        <span className="table-count" role="status">
          {matching.length === policy.rules.length ? `${formatCount(policy.rules.length)} rules` : `${formatCount(matching.length)} of ${formatCount(policy.rules.length)} rules`}
          {matching.length > RULES_SHOWN && ` (the first ${formatCount(RULES_SHOWN)} shown: filter to narrow)`}
        </span>
      </div>
      <table className="data-table">
        <caption id="rules-caption">Rules</caption>
        <thead>
          <tr>
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
          </tr>
        </thead>
        <tbody>
          {shown.map((rule) => (
            <tr key={rule.id} data-rule={rule.id}>
              <td title={rule.from}>{nameOf.get(rule.from) ?? rule.from}</td>
              <td title={rule.to}>{nameOf.get(rule.to) ?? rule.to}</td>
              <td>{rule.service}</td>
              <td>{rule.state}</td>
              <td>{rule.jit === null ? '' : 'yes'}</td>
              <td>{rule.window === null ? '' : describeWindow(rule.window)}</td>
              <td className="num">{formatCount(rule.evidence.flows)}</td>
              <td>{rule.evidence.firstSeen ?? ''}</td>
              <td>{rule.evidence.lastSeen ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
});

import { useEffect, useRef, useState } from 'react';
import { protocolName } from '../../core/flow/protocols';
import { movedOrder, type PromotionRow, type PromotionView as PromotionGate } from '../../core/workbench/promotion-order';
import type { WorkbenchView } from '../../core/workbench/workbench';
import { formatCount } from '../format/numbers';
import { useAppStore } from '../store/app-store';
import { StageBadge } from './StageBadge';
import { useWorkbench } from './workbench-context';

/**
 * The order of promotion: the groups not yet enforced, least risk first as
 * the promotion gate proposes (canaries, then lower criticality, fewer
 * clients, a quieter history), or in the analyst's order once they moved a
 * group. For each, its next stage, what that stage would block in the
 * replay, and the whole days since the last of it. Moving a group is an
 * edit (undoable, saved in the workspace); Alt+↑ and Alt+↓ move the group
 * whose row has focus.
 */
export function PromotionView({ view }: { readonly view: WorkbenchView }) {
  const controller = useWorkbench();
  const groupSelected = useAppStore((state) => state.groupSelected);
  const [promotion, setPromotion] = useState<PromotionGate | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement | null>());
  const refocus = useRef<{ readonly group: string; readonly direction: 'up' | 'down' } | null>(null);
  // Asked for again after every step (a new view): stages, rules and the order all move it.
  useEffect(() => {
    let current = true;
    void controller.promotion().then((answer) => {
      if (current && answer !== null) setPromotion(answer);
    });
    return () => {
      current = false;
    };
  }, [controller, view]);
  // Focus follows the moved group once the new order is drawn, so the keyboard can keep moving it
  // (its other button when this one is now disabled: a disabled button loses the focus).
  useEffect(() => {
    const target = refocus.current;
    if (target === null || promotion === null) return;
    refocus.current = null;
    const same = buttons.current.get(`${target.group}:${target.direction}`);
    const other = buttons.current.get(`${target.group}:${target.direction === 'up' ? 'down' : 'up'}`);
    (same !== undefined && same !== null && !same.disabled ? same : other)?.focus();
  }, [promotion]);
  if (promotion === null) return <p className="muted-text">Checking what each group's next stage would block…</p>;
  const order = promotion.rows.map((row) => row.group);

  const move = async (group: string, direction: 'up' | 'down') => {
    const moved = movedOrder(order, group, direction);
    if (moved === null) return;
    // Set before the edit: the new order may be drawn before the edit's promise settles here.
    refocus.current = { group, direction };
    if (!(await controller.edit({ kind: 'promotion-order', order: moved, moved: group, direction }))) refocus.current = null;
  };

  return (
    <section className="promotion-view" aria-label="Promotion order">
      <p>
        {promotion.rows.length === 0
          ? 'Every group is enforced: nothing to promote. Set a group to observe or selective in the map inspector to start a staged rollout.'
          : `${formatCount(promotion.rows.length)} groups to promote, ${promotion.custom ? 'in your order' : 'in the order proposed from risk (canaries first, then lower criticality, fewer clients, a quieter history)'}. A group is proposed once ${formatCount(promotion.quietDays)} whole days pass without traffic its next stage would block (replay: ${promotion.window.from ?? '?'} to ${promotion.window.to ?? '?'}, ${formatCount(promotion.window.days)} days).`}
      </p>
      {promotion.rollback && (
        <p className="is-warn" role="alert">
          A stage already blocks traffic allowed today: roll back before promoting (flowfence simulate --stage-check exits 3). Blocking now:{' '}
          {promotion.blocking
            .slice(0, BLOCKING_NAMED)
            .map((entry) => `${entry.name} (${formatCount(entry.edges)} edges)`)
            .join(', ')}
          {promotion.blocking.length > BLOCKING_NAMED ? ` and ${formatCount(promotion.blocking.length - BLOCKING_NAMED)} more groups` : ''}.
        </p>
      )}
      <ol className="promotion-list">
        {promotion.rows.map((row, index) => (
          <li
            key={row.group}
            className="promotion-row"
            data-group={row.group}
            onKeyDown={(event) => {
              if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
              event.preventDefault();
              void move(row.group, event.key === 'ArrowUp' ? 'up' : 'down');
            }}
          >
            <span className="promotion-place">{index + 1}.</span>
            <RowFacts row={row} onSelect={() => groupSelected(row.group)} />
            <span className="promotion-moves">
              <button type="button" ref={(element) => void buttons.current.set(`${row.group}:up`, element)} disabled={index === 0} aria-label={`Move ${row.name} up the promotion order`} onClick={() => void move(row.group, 'up')}>
                ↑
              </button>
              <button
                type="button"
                ref={(element) => void buttons.current.set(`${row.group}:down`, element)}
                disabled={index === promotion.rows.length - 1}
                aria-label={`Move ${row.name} down the promotion order`}
                onClick={() => void move(row.group, 'down')}
              >
                ↓
              </button>
            </span>
          </li>
        ))}
      </ol>
      {promotion.enforced.length > 0 && <p className="muted-text">Enforced already: {formatCount(promotion.enforced.length)} groups.</p>}
    </section>
  );
}

/** Groups named in the rollback warning; the rest are counted. */
const BLOCKING_NAMED = 10;

const PROPOSALS: Readonly<Record<PromotionRow['proposal'], string>> = {
  enforced: 'enforced',
  promote: 'ready to promote',
  'promote-override': 'ready to promote (analyst override)',
  wait: 'wait',
};

function RowFacts({ row, onSelect }: { readonly row: PromotionRow; readonly onSelect: () => void }) {
  const next = row.next === null ? 'none' : row.next.stage === 'selective' ? `selective: ${row.next.services.join(', ')}` : row.next.stage;
  return (
    <div className="promotion-facts">
      <button type="button" className="link-button" onClick={onSelect}>
        {row.name}
      </button>{' '}
      <StageBadge setting={row.setting} /> → {next}
      <span className={row.proposal === 'wait' ? 'is-warn' : ''} data-figure="proposal">
        {' '}
        · {PROPOSALS[row.proposal]}
      </span>
      <p className="muted-text">
        {row.blockedNow > 0 && <span className="is-warn">{formatCount(row.blockedNow)} edges blocked now (roll back). </span>}
        Next stage would block {formatCount(row.nextWouldBlock)} edges ({formatCount(row.nextWouldBlockFlows)} flows); quiet for {formatCount(row.quietDays)} days; {formatCount(row.clients)} clients; criticality {row.criticality.rank} ({row.criticality.from}); proposed place {row.proposedPlace}.
      </p>
      {row.examples.length > 0 && (
        <ul className="mono">
          {row.examples.map((edge) => (
            <li key={`${edge.client}|${edge.server}|${edge.proto}|${edge.port}`}>
              {edge.client} → {edge.server} {protocolName(edge.proto)}
              {edge.port < 0 ? '' : `/${edge.port}`}: {formatCount(edge.flows)} flows, last {edge.lastSeen ?? '?'}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

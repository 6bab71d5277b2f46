import type { StageSetting } from '../../core/policy/policy-model';
import { STAGE_MEANINGS, stageText } from '../model/group-stages';

/** A group's enforcement stage and canary flag, as the map and the promotion list show them. */
export function StageBadge({ setting }: { readonly setting: StageSetting }) {
  return (
    <span className="stage-badges">
      <span className={`badge badge-stage stage-${setting.stage}`} title={`${stageText(setting, true)}: ${STAGE_MEANINGS[setting.stage]}`}>
        {stageText(setting)}
      </span>
      {setting.canary && (
        <span className="badge badge-canary" title="a canary: promoted first">
          canary
        </span>
      )}
    </span>
  );
}

/** What the map's stage badges mean. */
export function StageLegend() {
  return (
    <dl className="stage-legend" aria-label="Stage legend">
      {(['observe', 'selective', 'enforce'] as const).map((stage) => (
        <div key={stage}>
          <dt>
            <span className={`badge badge-stage stage-${stage}`}>{stage}</span>
          </dt>
          <dd>{STAGE_MEANINGS[stage]}</dd>
        </div>
      ))}
      <div>
        <dt>
          <span className="badge badge-canary">canary</span>
        </dt>
        <dd>promoted first, to learn at least risk</dd>
      </div>
    </dl>
  );
}

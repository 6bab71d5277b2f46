import { isStageable, stageSettingOf } from '../../core/policy/enforcement-stage';
import type { PolicyGroup, StageSetting } from '../../core/policy/policy-model';

/**
 * The groups' enforcement stages as the page draws them: every internal
 * group has one (a group never decided on is enforced, as in the policy
 * file); groups of other kinds (every internal host, outside networks) have
 * none.
 */
export function groupStages(groups: readonly PolicyGroup[]): ReadonlyMap<string, StageSetting> {
  return new Map(groups.filter(isStageable).map((group) => [group.id, stageSettingOf(group)]));
}

/** Services a badge names; the rest are counted (the badge's title lists them all). */
export const BADGE_SERVICES = 3;

/** "observe", "selective: tcp/443, tcp/5432", "enforce": a stage in the words of the badge (`all`: every service named). */
export function stageText(setting: StageSetting, all = false): string {
  if (setting.stage !== 'selective') return setting.stage;
  const shown = all ? setting.services : setting.services.slice(0, BADGE_SERVICES);
  const more = setting.services.length - shown.length;
  return `selective: ${shown.join(', ')}${more > 0 ? ` +${more}` : ''}`;
}

/** What each stage does, for the legend and the stage picker. */
export const STAGE_MEANINGS: Readonly<Record<StageSetting['stage'], string>> = {
  observe: 'nothing blocked; what the rules would block is logged',
  selective: 'the listed services enforced; the rest logged',
  enforce: 'default deny: what no rule permits is blocked',
};

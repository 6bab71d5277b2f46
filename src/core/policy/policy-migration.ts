import { ADMIN_ROLE_DEFAULTS } from './admin-role';
import { DEFAULT_POLICY_SETTINGS, POLICY_VERSION } from './policy-model';

/**
 * Older policy files, moved to the current version on reading. Each step
 * takes a file's value at version n to version n + 1 and says what it
 * filled in; the result is then validated against the current schema, so
 * errors name the same paths whatever version the file was written in.
 * A step only adds what its version lacks: it never drops or rewrites what
 * the file holds. Every version a step exists for has a fixture written by
 * that version (test/fixtures/policy/).
 */

export class PolicyFileError extends Error {}

/** The oldest version this Flowfence reads. */
export const OLDEST_POLICY_VERSION: number = 1;
const CURRENT: number = POLICY_VERSION;

type PolicyValue = Record<string, unknown>;
type MigrationStep = (value: PolicyValue, source: string) => string[];

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Version 1 → 2: settings gained the admin-role thresholds and the host
 * share of lifting, and the policy records the discovery and anomaly
 * thresholds of its run.
 *
 * Version 1 made every admin service just-in-time from groups that are not
 * admin groups, SMB and RPC included: no service was role-dependent. So the
 * settings that describe how a version-1 policy's rules were made have an
 * empty roleDependentAdminServices, not today's default (SMB, RPC); the other
 * four role settings take their defaults. Without role-dependent services
 * only roleMinGroups and roleMinClientsPerServer are consulted, and only to
 * make a remote-administration hub a role (admin-role.ts isHub), which
 * version 1 did not do: regenerating applies today's rules to the file's
 * thresholds, as for every other setting. Version 1 lifted on the share of groups
 * alone: liftMinHostShare is 0. Version 1 recorded no discovery or
 * anomaly thresholds: analysis is null (not recorded).
 */
const fromVersion1: MigrationStep = (value, source) => {
  if ('analysis' in value) throw new PolicyFileError(`${source}: /analysis is not part of a version-1 policy (version ${POLICY_VERSION} added it)`);
  const notes: string[] = [];
  const settings = value.settings;
  if (isObject(settings)) {
    const filled: Record<string, unknown> = {
      liftMinHostShare: 0,
      roleDependentAdminServices: [],
      directoryServices: ADMIN_ROLE_DEFAULTS.directoryServices.map((service) => ({ ...service })),
      roleMinShare: ADMIN_ROLE_DEFAULTS.roleMinShare,
      roleMinGroups: ADMIN_ROLE_DEFAULTS.roleMinGroups,
      roleMinClientsPerServer: ADMIN_ROLE_DEFAULTS.roleMinClientsPerServer,
    };
    const added = Object.keys(filled).filter((key) => !(key in settings));
    for (const key of added) settings[key] = filled[key];
    if (added.includes('roleDependentAdminServices')) {
      notes.push('settings.roleDependentAdminServices set to [] (version 1 made every admin service just-in-time from groups that are not admin groups)');
    }
    const defaults = added.filter((key) => key !== 'roleDependentAdminServices' && key !== 'liftMinHostShare');
    if (defaults.length > 0) notes.push(`settings.${defaults.join(', settings.')} set to their defaults (without role-dependent services, used only to find remote-administration hubs)`);
    if (added.includes('liftMinHostShare')) notes.push('settings.liftMinHostShare set to 0 (version 1 lifted on the share of groups alone)');
  }
  value.analysis = null;
  notes.push('analysis set to null (version 1 did not record the discovery and anomaly thresholds)');
  return notes;
};

/**
 * Settings added to the current version after files were written in it
 * (an optional threshold, never one that changes what existing keys mean):
 * a file that lacks one takes its default, with a note. Only what
 * regenerating the rules would consult; the file's rules stay as written.
 */
const ADDED_WITHIN_VERSION: Readonly<Record<string, unknown>> = {
  adminStationMinHosts: DEFAULT_POLICY_SETTINGS.adminStationMinHosts,
  publicMinNetworks: DEFAULT_POLICY_SETTINGS.publicMinNetworks,
};

function fillAddedSettings(value: PolicyValue): string[] {
  const settings = value.settings;
  if (!isObject(settings)) return [];
  const added = Object.keys(ADDED_WITHIN_VERSION).filter((key) => !(key in settings));
  for (const key of added) settings[key] = ADDED_WITHIN_VERSION[key];
  return added.map((key) => `settings.${key} set to its default (${JSON.stringify(ADDED_WITHIN_VERSION[key])}): the file was written before it was recorded`);
}

/** STEPS[n] takes version n to n + 1. */
const STEPS: Readonly<Record<number, MigrationStep>> = { 1: fromVersion1 };

export interface Migrated {
  /** The version the file was written in, when older than POLICY_VERSION; null when it was current. */
  readonly migratedFrom: number | null;
  /** What the steps filled in, one sentence each. */
  readonly notes: readonly string[];
}

/**
 * Moves a policy file's parsed value (format already checked) to
 * POLICY_VERSION in place. Throws PolicyFileError for a version this
 * Flowfence does not read.
 */
export function migratePolicy(value: PolicyValue, source: string): Migrated {
  const written = value.version;
  if (typeof written !== 'number' || !Number.isInteger(written) || written < OLDEST_POLICY_VERSION || written > CURRENT) {
    const supported = OLDEST_POLICY_VERSION === CURRENT ? `version ${CURRENT}` : `versions ${OLDEST_POLICY_VERSION} to ${CURRENT}`;
    throw new PolicyFileError(`${source}: policy version ${JSON.stringify(written)} is not supported (this Flowfence reads ${supported})`);
  }
  const notes: string[] = [];
  for (let version = written; version < CURRENT; version++) {
    const step = STEPS[version];
    if (step === undefined) throw new Error(`no migration from policy version ${version}`);
    for (const note of step(value, source)) notes.push(note);
    value.version = version + 1;
  }
  for (const note of fillAddedSettings(value)) notes.push(note);
  return { migratedFrom: written === CURRENT ? null : written, notes };
}

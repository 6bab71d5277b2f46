import type { PushdownDialect } from './source-record';

/**
 * A --table name as the parts of a dotted path (catalog.schema.table,
 * project.dataset.table), each part checked: letters, digits, underscores,
 * and hyphens (BigQuery project ids). Anything else, quotes, spaces,
 * semicolons, comments, is refused rather than escaped: a table name is
 * never data, so there is no name worth writing into a query that does not
 * fit. The dialect then quotes each part by its own rules.
 */
const PART = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

export function parseTableName(name: string, dialect: PushdownDialect): string[] {
  const parts = name.split('.');
  const most = dialect === 'kql' ? 1 : 3;
  if (parts.length > most) throw new Error(`table name "${name}" has more than ${most} dotted part${most === 1 ? '' : 's'} (${dialect})`);
  for (const part of parts) {
    if (!PART.test(part)) {
      throw new Error(`table name "${name}": each dotted part must start with a letter or _ and hold only letters, digits, _ and - (at most 128)`);
    }
    if (part.includes('-') && dialect !== 'bigquery') throw new Error(`table name "${name}": only BigQuery project ids may hold -`);
  }
  return parts;
}

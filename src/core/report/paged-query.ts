import type { SqlPort } from '../store/sql-port';

const PAGE_ROWS = 50_000;

/**
 * Rows of an ordered query, page by page, so exports of millions of rows
 * never materialise in JavaScript at once. The order is fixed once in a
 * numbered temporary table, so pages never overlap or skip.
 */
export async function* pagedRows<T extends object>(db: SqlPort, orderedSelect: string, orderBy: string, pageRows = PAGE_ROWS): AsyncIterable<T[]> {
  const table = `paged_${Math.random().toString(36).slice(2, 10)}`;
  await db.run(`CREATE TEMP TABLE ${table} AS SELECT row_number() OVER (ORDER BY ${orderBy}) AS rn__, * FROM (${orderedSelect})`);
  try {
    const [{ total } = { total: 0 }] = await db.all<{ total: number }>(`SELECT count(*) AS total FROM ${table}`);
    for (let start = 1; start <= total; start += pageRows) {
      const rows = await db.all<T & { rn__?: number }>(
        `SELECT * EXCLUDE (rn__) FROM ${table} WHERE rn__ >= ${start} AND rn__ < ${start + pageRows} ORDER BY rn__`,
      );
      yield rows;
    }
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${table}`);
  }
}

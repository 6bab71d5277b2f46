import { addressBlock } from '../net/address-block';
import type { SqlPort } from '../store/sql-port';

export const ADDRESS_PLAN_DEFAULTS = {
  /**
   * When at least this share of the flows runs between two addresses that
   * are both outside the internal ranges, the capture's own hosts almost
   * certainly use public addresses (a lab, a university, a honeypot, a
   * capture of an ISP link): groups and rules are made for internal hosts
   * only, so the analysis would describe nobody. Half: an estate's own
   * traffic always has an internal end.
   */
  externalShare: 0.5,
  /** Blocks proposed for --internal: the busiest, until they carry this share of that traffic… */
  proposeCover: 0.8,
  /** …and at most this many. */
  proposeMax: 4,
} as const;

/**
 * A warning when most traffic is external to external, with the --internal
 * ranges (/16, /48) that carry most of it; null otherwise.
 */
export async function addressPlanWarning(db: SqlPort): Promise<string | null> {
  const D = ADDRESS_PLAN_DEFAULTS;
  const endpoints = `
    WITH e AS (
      SELECT c.ip AS cip, s.ip AS sip, e.flows,
             coalesce(ci.scope, 'external') = 'external' AND coalesce(si.scope, 'external') = 'external' AS outside
      FROM edges e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server
      LEFT JOIN host_info ci ON ci.ip = c.ip LEFT JOIN host_info si ON si.ip = s.ip)`;
  const [totals] = await db.all<{ total: number | null; outside: number | null }>(`${endpoints} SELECT sum(flows) AS total, sum(flows) FILTER (WHERE outside) AS outside FROM e`);
  const total = Number(totals?.total ?? 0);
  const outside = Number(totals?.outside ?? 0);
  if (total <= 0 || outside < D.externalShare * total) return null;
  const rows = await db.all<{ ip: string; flows: number }>(
    `${endpoints} SELECT ip, sum(flows) AS flows FROM (SELECT cip AS ip, flows FROM e WHERE outside UNION ALL SELECT sip AS ip, flows FROM e WHERE outside) GROUP BY ip`,
  );
  const byBlock = new Map<string, number>();
  for (const row of rows) {
    const block = addressBlock(row.ip, 16, 48);
    if (block !== null) byBlock.set(block, (byBlock.get(block) ?? 0) + Number(row.flows));
  }
  const ranked = [...byBlock].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const proposed: string[] = [];
  let covered = 0;
  for (const [block, flows] of ranked) {
    if (proposed.length >= D.proposeMax || covered >= D.proposeCover * 2 * outside) break;
    proposed.push(block);
    covered += flows;
  }
  const share = Math.round((100 * outside) / total);
  return (
    `${share}% of the flows are between two addresses outside the internal ranges: this capture's own hosts seem to use public addresses, ` +
    `and groups and rules are made for internal hosts only. If they are the capture's own networks, rerun with ${proposed.map((block) => `--internal ${block}`).join(' ')} ` +
    `(the blocks that carry most of that traffic)`
  );
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pushdownQuery } from '../../src/core/pushdown/pushdown-query';
import { GOLDEN_CASES } from '../core/pushdown/golden-cases';

/** Rewrites test/fixtures/pushdown after a deliberate change to a query (npx tsx test/tools/write-pushdown-golden.ts). */
for (const { file, request } of GOLDEN_CASES) {
  writeFileSync(join('test', 'fixtures', 'pushdown', file), pushdownQuery(request).text);
  console.log(`wrote test/fixtures/pushdown/${file}`);
}

// npm run schema:policy — writes resources/policy.schema.json from the schema
// the engine validates with (src/core/policy/policy-schema.ts); a unit test
// keeps the two equal.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { POLICY_SCHEMA } from '../../src/core/policy/policy-schema';

const path = fileURLToPath(new URL('../../resources/policy.schema.json', import.meta.url));
await writeFile(path, `${JSON.stringify(POLICY_SCHEMA, null, 2)}\n`);
console.log(`wrote ${path}`);

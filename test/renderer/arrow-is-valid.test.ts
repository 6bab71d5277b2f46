import { createIsValidFunction as arrowIsValid } from 'apache-arrow/builder/valid';
import { describe, expect, it } from 'vitest';
import { createIsValidFunction } from '../../src/renderer/engine/arrow-is-valid';

const probes: unknown[] = [null, undefined, 0, -0, 1, NaN, '', 'N/A', 'null', false, true, 0n, 1n, {}, []];
const nullValueLists: (readonly unknown[] | undefined)[] = [undefined, [], [null, undefined], [null], [null, 'N/A', NaN], [0, ''], [1n], [NaN]];

describe('the eval-free replacement for apache-arrow builder/valid.mjs', () => {
  it("answers exactly like Arrow's generated function", () => {
    for (const nullValues of nullValueLists) {
      const reference = arrowIsValid(nullValues as never[] | undefined);
      const replacement = createIsValidFunction(nullValues);
      for (const probe of probes) expect(replacement(probe), `${String(nullValues)} / ${String(probe)}`).toBe(reference(probe));
    }
  });
});

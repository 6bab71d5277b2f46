import { Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { boolVector, utf8Vector } from '../../../src/core/store/arrow-columns';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';

describe('Arrow columns built without builders', () => {
  it('round-trip strings (with nulls and non-ASCII) and booleans through IPC and into DuckDB', async () => {
    const names = ['a', null, 'é→🔒', '', 'x'.repeat(300)];
    const flags = [true, false, true, true, false];
    const ipc = tableToIPC(new Table({ name: utf8Vector(names), flag: boolVector(flags) }), 'stream');
    const back = tableFromIPC(ipc);
    expect(back.getChild('name')!.toArray()).toEqual(names);
    expect([...back.getChild('flag')!]).toEqual(flags);
    const db = await openNodeDuckDb();
    await db.run('CREATE TABLE t (name VARCHAR, flag BOOLEAN)');
    await db.insertArrow('t', ipc);
    expect(await db.all('SELECT name, flag FROM t')).toEqual(names.map((name, i) => ({ name, flag: flags[i] })));
  });

  it('never compile code: they work with eval-like constructors disabled', () => {
    const original = globalThis.Function;
    globalThis.Function = function refused() {
      throw new EvalError('Function constructor refused');
    } as unknown as FunctionConstructor;
    try {
      // The trap works: Arrow's own builder path compiles code and is refused.
      expect(() => vectorFromArray(['a', 'b'], new Utf8())).toThrow(EvalError);
      expect(utf8Vector(['a', null, 'b']).length).toBe(3);
      expect(boolVector([true]).get(0)).toBe(true);
    } finally {
      globalThis.Function = original;
    }
  });
});

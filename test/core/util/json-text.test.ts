import { describe, expect, it } from 'vitest';
import { parseApprovedGroups } from '../../../src/core/discover/approved-groups';
import { parsePolicy } from '../../../src/core/policy/policy-schema';
import { parseJsonText } from '../../../src/core/util/json-text';

const errorOf = (run: () => unknown): Error => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
};

describe('parseJsonText', () => {
  it('parses JSON as JSON.parse does', () => {
    expect(parseJsonText('{"a": [1, "two", null]}')).toEqual({ a: [1, 'two', null] });
  });

  it('says on which line and column a syntax error sits', () => {
    expect(errorOf(() => parseJsonText('{\n  "rules": [\n    {"id": x}\n  ]\n}')).message).toBe("line 3, column 12: invalid character 'x'");
    expect(errorOf(() => parseJsonText('{"a": 1,\n "b": ')).message).toBe('line 2, column 7: invalid end of input');
  });

  it('says when the text is JSON5 (a trailing comma, a comment), which is not JSON', () => {
    expect(errorOf(() => parseJsonText('[1, 2,]')).message).toMatch(/\(it would read as JSON5: a comment, a trailing comma, single quotes or unquoted keys are not JSON\)$/);
  });

  it('reaches the readers of policy.json and of approved groups', () => {
    expect(errorOf(() => parsePolicy('{\n"format": }', 'p.json')).message).toBe("p.json: not JSON (line 2, column 11: invalid character '}')");
    expect(errorOf(() => parseApprovedGroups('[{"id": "g1",}]\n')).message).toMatch(/^not JSON: .*it would read as JSON5/);
  });
});

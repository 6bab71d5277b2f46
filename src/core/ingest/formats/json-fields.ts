import { RowError } from '../row-error';

/** Safe access into parsed JSON: JSON formats nest their fields and omit them freely. */
export function at(value: unknown, ...keys: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A string or number field as text (JSON exports write counters either way); undefined when absent. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return String(value);
  return undefined;
}

/** Like textOf, but a present value of the wrong type is a row error naming the field. */
export function requireText(value: unknown, field: string): string {
  const text = textOf(value);
  if (text === undefined) {
    if (value === undefined || value === null) throw new RowError(field, 'missing');
    throw new RowError(field, 'expected a string or number', JSON.stringify(value));
  }
  return text;
}

/** JSON.parse of one NDJSON line, as a row error when it is not JSON. */
export function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new RowError('', 'not valid JSON', error instanceof Error ? error.message : String(error));
  }
}

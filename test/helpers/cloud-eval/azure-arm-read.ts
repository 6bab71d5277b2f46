// How Azure Resource Manager reads the string values of a template, written
// from its documentation ("Syntax and expressions in ARM templates"), not
// from the exporter: a string that starts with '[' and ends with ']' is a
// template expression, unless it starts with '[[', which is the escape for a
// literal and loses its first bracket; any other string is literal as is.

export type ArmString = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'expression'; readonly body: string };

export function readArmString(value: string): ArmString {
  if (value.startsWith('[') && value.endsWith(']')) {
    if (value.startsWith('[[')) return { kind: 'literal', text: value.slice(1) };
    return { kind: 'expression', body: value.slice(1, -1) };
  }
  return { kind: 'literal', text: value };
}

/** The literal a string value stands for; throws when Resource Manager would evaluate it instead. */
export function armLiteralText(value: string): string {
  const read = readArmString(value);
  if (read.kind === 'expression') throw new Error(`a template expression where a literal was expected: ${value}`);
  return read.text;
}

/** Every string value in a parsed template, with its JSON path (object keys are names, never evaluated). */
export function stringValues(value: unknown, path = '$'): { readonly path: string; readonly value: string }[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringValues(item, `${path}[${index}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => stringValues(item, `${path}.${key}`));
  return [];
}

const ASG_ID = /^resourceId\('Microsoft\.Network\/applicationSecurityGroups', '([A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)'\)$/;

/** The ASG name of a resourceId('Microsoft.Network/applicationSecurityGroups', '<name>') expression; null for anything else. */
export function asgNameOfExpression(value: string): string | null {
  const read = readArmString(value);
  if (read.kind !== 'expression') return null;
  return ASG_ID.exec(read.body)?.[1] ?? null;
}

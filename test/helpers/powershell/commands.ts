// Statements of a tokenized PowerShell script (the subset of tokenize.ts):
// assignments and pipelines of commands, each command a name and its
// parameters. A parameter's value is one argument or a comma list; a
// parameter followed by another parameter (or nothing) is a switch.
import { PsSyntaxError, tokenize, type PsToken } from './tokenize';

export type PsValue = readonly string[];

export interface PsCommand {
  readonly name: string;
  /** Parameter names in lower case (PowerShell matches them case-insensitively); a switch has the value []. */
  readonly parameters: ReadonlyMap<string, PsValue>;
}

export type PsStatement =
  | { readonly kind: 'assignment'; readonly variable: string; readonly value: PsValue }
  | { readonly kind: 'pipeline'; readonly commands: readonly PsCommand[] };

export function parseScript(source: string): { statements: PsStatement[]; tokens: PsToken[] } {
  const tokens = tokenize(source);
  const statements: PsStatement[] = [];
  let current: PsToken[] = [];
  const flush = (): void => {
    if (current.length > 0) statements.push(statement(current));
    current = [];
  };
  for (const token of tokens) {
    if (token.kind === 'comment') continue;
    if (token.kind === 'newline' || token.kind === 'semicolon') flush();
    else current.push(token);
  }
  flush();
  return { statements, tokens };
}

function statement(tokens: readonly PsToken[]): PsStatement {
  const first = tokens[0]!;
  if (first.kind === 'variable') {
    if (tokens[1]?.kind !== 'equals') throw new PsSyntaxError(`a variable that is not assigned: ${first.raw}`);
    return { kind: 'assignment', variable: first.name, value: argument(tokens.slice(2), 0).value };
  }
  const commands: PsCommand[] = [];
  let part: PsToken[] = [];
  for (const token of [...tokens, null]) {
    if (token === null || token.kind === 'pipe') {
      commands.push(command(part));
      part = [];
    } else {
      part.push(token);
    }
  }
  return { kind: 'pipeline', commands };
}

function command(tokens: readonly PsToken[]): PsCommand {
  const name = tokens[0];
  if (name?.kind !== 'word') throw new PsSyntaxError(`a command must start with its name, not ${name?.raw ?? 'nothing'}`);
  const parameters = new Map<string, PsValue>();
  let index = 1;
  while (index < tokens.length) {
    const token = tokens[index]!;
    if (token.kind !== 'parameter') throw new PsSyntaxError(`a positional argument ${token.raw} after ${name.raw}`);
    const key = token.name.toLowerCase();
    if (parameters.has(key)) throw new PsSyntaxError(`parameter -${token.name} given twice`);
    const next = tokens[index + 1];
    if (next === undefined || next.kind === 'parameter') {
      parameters.set(key, []);
      index++;
      continue;
    }
    const { value, end } = argument(tokens, index + 1);
    parameters.set(key, value);
    index = end;
  }
  return { name: name.raw, parameters };
}

/** One argument from `start`: a string or bare word, or a comma list of them. Returns the values and the index after it. */
function argument(tokens: readonly PsToken[], start: number): { value: PsValue; end: number } {
  const value: string[] = [];
  let index = start;
  for (;;) {
    const token = tokens[index];
    if (token === undefined || (token.kind !== 'string' && token.kind !== 'word')) throw new PsSyntaxError(`an argument expected, found ${token?.raw ?? 'the end'}`);
    value.push(token.kind === 'string' ? token.value : token.raw);
    index++;
    if (tokens[index]?.kind !== 'comma') return { value, end: index };
    index++;
  }
}

// A PowerShell tokenizer for the subset Flowfence's Windows Firewall scripts
// use, written from the PowerShell language specification (chapter 2,
// lexical structure) and the behaviour of its tokenizer, independent of
// src/: line comments (and #Requires, which is one), block comments,
// single-quoted strings (any of ' U+2018 U+2019 U+201A U+201B opens and
// closes one; two quote characters in a row are one literal quote),
// parameters (-Name), variables ($Name), bare words (command names, enum
// values, numbers), commas, pipes, semicolons, "=", backtick line
// continuations and newlines. Anything outside the subset (double-quoted
// strings, which expand, subexpressions, script blocks, splatting) throws:
// a script that needs more than this is not one Flowfence writes.

export type PsToken =
  | { readonly kind: 'newline'; readonly raw: string }
  | { readonly kind: 'comment'; readonly raw: string }
  | { readonly kind: 'string'; readonly raw: string; readonly value: string }
  | { readonly kind: 'parameter'; readonly raw: string; readonly name: string }
  | { readonly kind: 'variable'; readonly raw: string; readonly name: string }
  | { readonly kind: 'word'; readonly raw: string }
  | { readonly kind: 'comma' | 'pipe' | 'semicolon' | 'equals'; readonly raw: string };

/** The single quote characters of PowerShell: the apostrophe and the typographic quotes U+2018–U+201B. */
export const PS_SINGLE_QUOTES = new Set(["'", '\u2018', '\u2019', '\u201a', '\u201b']);
/** Double quote characters (U+201C–U+201E count too): they open expandable strings, outside the subset. */
const DOUBLE_QUOTES = new Set(['"', '\u201c', '\u201d', '\u201e']);
/** Dashes PowerShell accepts for "-" before a parameter: the hyphen and en, em and horizontal bar dashes. */
const DASHES = new Set(['-', '\u2013', '\u2014', '\u2015']);
const WHITESPACE = /^[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000\ufeff]$/;
/** Characters that end a bare word (besides whitespace and newlines). */
const WORD_END = new Set([',', '|', ';', '(', ')', '{', '}', '&', '`', '$', '@', '=', ...PS_SINGLE_QUOTES, ...DOUBLE_QUOTES]);

export class PsSyntaxError extends Error {}

export function tokenize(source: string): PsToken[] {
  const chars = [...source];
  const tokens: PsToken[] = [];
  let i = 0;
  const peek = (offset = 0): string => chars[i + offset] ?? '';
  const fail = (message: string): never => {
    throw new PsSyntaxError(`${message} at character ${i}: ${JSON.stringify(chars.slice(Math.max(0, i - 20), i + 20).join(''))}`);
  };
  while (i < chars.length) {
    const c = peek();
    if (WHITESPACE.test(c)) {
      i++;
    } else if (c === '\r' || c === '\n') {
      const raw = c === '\r' && peek(1) === '\n' ? '\r\n' : c;
      i += raw.length;
      tokens.push({ kind: 'newline', raw });
    } else if (c === '`') {
      // A backtick before a newline continues the line; anywhere else it escapes, which the subset never needs.
      const next = peek(1);
      if (next === '\n') i += 2;
      else if (next === '\r') i += peek(2) === '\n' ? 3 : 2;
      else fail('a backtick escape outside the subset');
    } else if (c === '#') {
      const start = i;
      while (i < chars.length && peek() !== '\r' && peek() !== '\n') i++;
      tokens.push({ kind: 'comment', raw: chars.slice(start, i).join('') });
    } else if (c === '<' && peek(1) === '#') {
      const start = i;
      i += 2;
      while (i < chars.length && !(peek() === '#' && peek(1) === '>')) i++;
      if (i >= chars.length) fail('an unterminated block comment');
      i += 2;
      tokens.push({ kind: 'comment', raw: chars.slice(start, i).join('') });
    } else if (PS_SINGLE_QUOTES.has(c)) {
      const start = i;
      i++;
      let value = '';
      for (;;) {
        if (i >= chars.length) fail('an unterminated single-quoted string');
        const d = peek();
        if (PS_SINGLE_QUOTES.has(d)) {
          if (!PS_SINGLE_QUOTES.has(peek(1))) {
            i++;
            break;
          }
          // Two quote characters: the second is kept, as PowerShell's tokenizer does.
          value += peek(1);
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      tokens.push({ kind: 'string', raw: chars.slice(start, i).join(''), value });
    } else if (DOUBLE_QUOTES.has(c)) {
      fail('a double-quoted (expandable) string outside the subset');
    } else if (c === ',' || c === '|' || c === ';' || c === '=') {
      i++;
      tokens.push({ kind: c === ',' ? 'comma' : c === '|' ? 'pipe' : c === ';' ? 'semicolon' : 'equals', raw: c });
    } else if (c === '$') {
      const start = i;
      i++;
      while (/^[A-Za-z0-9_]$/.test(peek())) i++;
      if (i === start + 1) fail('a "$" that starts no plain variable');
      const raw = chars.slice(start, i).join('');
      tokens.push({ kind: 'variable', raw, name: raw.slice(1) });
    } else if (DASHES.has(c) && /^[A-Za-z_?]$/.test(peek(1))) {
      const start = i;
      i++;
      while (/^[A-Za-z0-9_]$/.test(peek())) i++;
      if (peek() === ':') fail('a parameter with a colon-bound value outside the subset');
      const raw = chars.slice(start, i).join('');
      tokens.push({ kind: 'parameter', raw, name: raw.slice(1) });
    } else if (WORD_END.has(c)) {
      fail(`"${c}" outside the subset`);
    } else {
      const start = i;
      while (i < chars.length && !WORD_END.has(peek()) && !WHITESPACE.test(peek()) && peek() !== '\r' && peek() !== '\n') i++;
      tokens.push({ kind: 'word', raw: chars.slice(start, i).join('') });
    }
  }
  return tokens;
}

/**
 * Text from the data (file names, host names, labels, reasons) made safe
 * to print on a terminal: control characters (C0, DEL, C1) and the Unicode
 * bidirectional overrides become visible escapes, so a label holding
 * `ESC ] 0;…` cannot retitle the terminal, move the cursor or reorder
 * what the analyst reads, and a newline in a value cannot fake a line of
 * output. Everything else prints as it is.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, escapeCharacter);
}

// Control characters are exactly what this matches.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCharacter(character: string): string {
  const code = character.codePointAt(0)!;
  return NAMED[character] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`);
}

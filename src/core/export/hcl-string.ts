import { printableAscii } from './safe-text';

/**
 * Terraform (HCL native syntax) text for values that come from the policy.
 * A quoted HCL string is a template: besides a quote, a backslash or a
 * newline ending it, `${` starts an interpolation and `%{` a directive, so a
 * group id holding `${file("/etc/passwd")}` would be evaluated by
 * `terraform plan`. hclString escapes as HashiCorp's hclwrite does
 * (escapeQuotedStringLit in hclwrite/generate.go): `\`, `"`, newline,
 * carriage return and tab by backslash, any other control character or line
 * separator as \uNNNN, and `$` or `%` doubled where a `{` follows, so the
 * text is only ever a literal.
 */
export function hclString(text: string): string {
  let out = '';
  const characters = [...text];
  characters.forEach((character, index) => {
    switch (character) {
      case '\\':
        out += '\\\\';
        return;
      case '"':
        out += '\\"';
        return;
      case '\n':
        out += '\\n';
        return;
      case '\r':
        out += '\\r';
        return;
      case '\t':
        out += '\\t';
        return;
      case '$':
      case '%':
        // `$${` is a literal `${` and `%%{` a literal `%{`; a lone `$` or `%` is itself.
        out += characters[index + 1] === '{' ? character + character : character;
        return;
      default:
        out += isPrintable(character) ? character : unicodeEscape(character);
    }
  });
  return `"${out}"`;
}

/**
 * A `#` comment line. A comment ends at the line's end, so a newline in a
 * value would start a line of configuration: comments are made printable
 * ASCII (which also keeps bidirectional overrides out of a file a reviewer
 * reads).
 */
export function hclComment(text: string): string {
  return `# ${printableAscii(text)}`.trimEnd();
}

/** What Terraform accepts as a block label it refers to (resource names): a letter or underscore, then letters, digits, underscores and dashes. */
export const HCL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators, which editors show as line breaks. */
function isPrintable(character: string): boolean {
  const code = character.codePointAt(0)!;
  return !(code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029);
}

function unicodeEscape(character: string): string {
  const code = character.codePointAt(0)!;
  return code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
}

import JSON5 from 'json5';

/**
 * JSON.parse with a message that says where the text goes wrong: Node 20's
 * own messages give no position ("Unexpected token 'x', … is not valid
 * JSON"), which leaves an analyst hunting through a 400 KB policy.json.
 * json5 (a superset of JSON, the reader Babel uses) is asked only after
 * JSON.parse failed, for the line and column it stops at; text that is
 * valid JSON5 but not JSON (a comment, a trailing comma) is said to be so.
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const native = error instanceof Error ? error.message : String(error);
    try {
      JSON5.parse(text);
    } catch (located) {
      const { lineNumber, columnNumber, message } = located as { lineNumber?: number; columnNumber?: number; message?: string };
      if (typeof lineNumber === 'number' && typeof columnNumber === 'number') {
        const reason = (message ?? native).replace(/^JSON5: /, '').replace(/ at \d+:\d+$/, '');
        throw new SyntaxError(`line ${lineNumber}, column ${columnNumber}: ${reason}`);
      }
      throw new SyntaxError(native);
    }
    throw new SyntaxError(`${native} (it would read as JSON5: a comment, a trailing comma, single quotes or unquoted keys are not JSON)`);
  }
}

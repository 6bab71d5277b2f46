import { describe, expect, it } from 'vitest';
import { terminalText } from '../../src/cli/terminal-text';

describe('terminalText: data printed on a terminal', () => {
  it('shows escape sequences instead of running them (a label that would retitle the terminal)', () => {
    expect(terminalText('web\u001b]0;pwned\u0007-1')).toBe('web\\x1b]0;pwned\\x07-1');
    expect(terminalText('\u001b[2J\u001b[H')).toBe('\\x1b[2J\\x1b[H');
  });

  it('shows newlines, carriage returns and tabs, so a value cannot fake a line of output', () => {
    expect(terminalText('a\nflowfence: all clear\rb\tc')).toBe('a\\nflowfence: all clear\\rb\\tc');
  });

  it('shows DEL, C1 controls and bidirectional overrides', () => {
    expect(terminalText('x\u007fy\u009bz')).toBe('x\\x7fy\\x9bz');
    expect(terminalText('invoice\u202egpj.exe')).toBe('invoice\\u{202e}gpj.exe');
  });

  it('leaves printable text alone, other scripts and emoji included', () => {
    for (const text of ['10.0.0.1 → 10.0.0.2', 'prod · billing · web', 'Zürich-東京', 'db 🐘', '']) expect(terminalText(text)).toBe(text);
  });
});

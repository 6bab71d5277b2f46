import { csvParseRows } from 'd3-dsv';
import { describe, expect, it } from 'vitest';
import { csvLine, neutraliseFormula } from '../../../src/core/report/csv-line';

describe('csvLine: CSV that a spreadsheet cannot run', () => {
  it('puts an apostrophe before every formula trigger that starts a text cell (OWASP: = + - @ tab CR)', () => {
    for (const trigger of ['=', '+', '-', '@', '\t', '\r']) expect(neutraliseFormula(`${trigger}1+1`)).toBe(`'${trigger}1+1`);
    expect(neutraliseFormula("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
  });

  it('also after leading spaces, and at the start of every line inside a cell', () => {
    expect(neutraliseFormula('   =HYPERLINK("http://x")')).toBe('\'   =HYPERLINK("http://x")');
    expect(neutraliseFormula('web-1\n=1+1')).toBe("web-1\n'=1+1");
    expect(neutraliseFormula('a\r\n  @SUM(A1)')).toBe("a\r\n'  @SUM(A1)");
  });

  it('leaves other text alone, triggers inside a line included', () => {
    for (const text of ['web-1', 'a=b', 'user@example.com', '10.0.0.1', '', ' plain', "it's"]) expect(neutraliseFormula(text)).toBe(text);
  });

  it('writes numbers as they are: a negative number is no formula', () => {
    expect(csvLine([-1, 2.5, 'x'])).toBe('-1,2.5,x\n');
  });

  it('quotes by RFC 4180, and a reader gets the neutralised text back', () => {
    const line = csvLine(['=1,2', 'say "hi"', 'two\nlines', '-x']);
    expect(line).toBe('"\'=1,2","say ""hi""","two\nlines",\'-x\n');
    expect(csvParseRows(line.trimEnd())).toEqual([["'=1,2", 'say "hi"', 'two\nlines', "'-x"]]);
  });
});

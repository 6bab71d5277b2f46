import { csvFormatRows } from 'd3-dsv';

/**
 * One CSV line (RFC 4180 quoting by d3-dsv) whose text cells cannot run as
 * spreadsheet formulas. Host names, labels and reasons come from the
 * inputs, and a cell such as `=cmd|' /C calc'!A0` would be live in Excel or
 * LibreOffice. Per OWASP's CSV injection guidance, every line of a text
 * cell whose first non-blank character is =, +, -, @, a tab or a carriage
 * return gets a leading apostrophe: spreadsheets show the text and
 * evaluate nothing. Numbers are written as they are (a negative number is
 * no formula).
 */
export function csvLine(cells: readonly (string | number)[]): string {
  return `${csvFormatRows([cells.map((cell) => (typeof cell === 'number' ? String(cell) : neutraliseFormula(cell)))])}\n`;
}

/** Formula triggers after optional spaces at the start of the cell or of any line in it. */
const TRIGGER = /(^|[\n\r])( *)(?=[=+\-@\t\r])/g;

/** `text` with an apostrophe before each line start that a spreadsheet would read as a formula. */
export function neutraliseFormula(text: string): string {
  return text.replace(TRIGGER, "$1'$2");
}

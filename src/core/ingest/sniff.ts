import type { FlowFormat, ParseOptions, SniffSample } from './format';

export const SNIFF_BYTES = 64 * 1024;
const SNIFF_LINES = 64;
/** A format must be at least this sure before its parser is trusted with a file. */
const MIN_CONFIDENCE = 0.5;

export function sniffSample(text: string): SniffSample {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < SNIFF_LINES) {
    const newline = text.indexOf('\n', start);
    if (newline < 0) {
      // The last, unfinished line is only useful when it is the only one.
      if (lines.length === 0 && start < text.length) lines.push(text.slice(start).replace(/\r$/, ''));
      break;
    }
    const line = text.slice(start, newline).replace(/\r$/, '');
    if (line.trim().length > 0) lines.push(line);
    start = newline + 1;
  }
  return { text, lines };
}

/**
 * Why a sample cannot be text: NUL bytes, many control characters or many
 * invalid UTF-8 sequences (decoded as U+FFFD). Returns null for text.
 */
export function binaryReason(text: string): string | null {
  if (text.length === 0) return null;
  let control = 0;
  let replacement = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return 'it contains NUL bytes (binary data)';
    if (code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12) control++;
    else if (code === 0xfffd) replacement++;
  }
  if (control > text.length * 0.01) return 'it contains control characters (binary data)';
  if (replacement > text.length * 0.01) return 'it is not UTF-8 text';
  return null;
}

export interface Detection {
  readonly format: FlowFormat | null;
  readonly confidence: number;
}

/** The most confident format; ties go to the earlier entry of `formats`. */
export function detectFormat(formats: readonly FlowFormat[], sample: SniffSample, options: ParseOptions = {}): Detection {
  let best: FlowFormat | null = null;
  let bestScore = 0;
  for (const format of formats) {
    let score = 0;
    try {
      score = format.sniff(sample, options);
    } catch {
      score = 0;
    }
    if (score > bestScore) {
      best = format;
      bestScore = score;
    }
  }
  return bestScore >= MIN_CONFIDENCE ? { format: best, confidence: bestScore } : { format: null, confidence: bestScore };
}

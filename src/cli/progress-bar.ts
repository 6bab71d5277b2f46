import type { Progress } from '../core/progress';
import { terminalText } from './terminal-text';

const WIDTH = 30;

/**
 * A one-line progress bar on stderr, only when stderr is a terminal: piped
 * output and CI logs stay clean.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): { update(progress: Progress): void; done(): void } {
  if (stream.isTTY !== true) return { update: () => undefined, done: () => undefined };
  let shown = false;
  return {
    update(progress) {
      const filled = Math.round(progress.fraction * WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
      const percent = `${Math.floor(progress.fraction * 100)}`.padStart(3);
      const detail = progress.detail === undefined ? '' : ` ${truncateLeft(terminalText(progress.detail), 40)}`;
      stream.write(`\r${bar} ${percent}% ${progress.stage}${detail}\u001b[K`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\u001b[K');
    },
  };
}

function truncateLeft(text: string, width: number): string {
  return text.length <= width ? text : `…${text.slice(text.length - width + 1)}`;
}

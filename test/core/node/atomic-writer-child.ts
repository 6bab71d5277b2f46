/**
 * Child process for atomic-write-crash.test.ts: writes the target file again
 * and again with writeBytesAtomic, each version self-checking (its number,
 * filler, and a SHA-256 of both), until it is killed. Says "ready" once,
 * then "wrote" after each completed write, so the test can time its kills
 * in writes rather than in milliseconds (which depend on the machine's load).
 */
import { createHash } from 'node:crypto';
import { writeBytesAtomic } from '../../../src/core/node/atomic-write';

const [target, startText] = process.argv.slice(2);
const SIZE = 512 * 1024;

function version(number: number): Uint8Array {
  const bytes = new Uint8Array(SIZE);
  const view = new DataView(bytes.buffer);
  view.setFloat64(0, number);
  for (let index = 8; index < SIZE - 32; index++) bytes[index] = (index * 31 + number) & 255;
  bytes.set(createHash('sha256').update(bytes.subarray(0, SIZE - 32)).digest(), SIZE - 32);
  return bytes;
}

let number = Number(startText);
process.stdout.write('ready\n');
for (;;) {
  await writeBytesAtomic(target!, version(++number));
  process.stdout.write('wrote\n');
}

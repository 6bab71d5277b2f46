import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { mulberry32 } from '../helpers/prng';

/**
 * AWS VPC flow log (default v2 format) generated in the test, deterministic
 * for a given seed: the inline fixture when the real samples are absent, the
 * source of the gzip edge cases, and the large file the Cancel test needs.
 */
const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n';
const SERVICES = [443, 22, 5432, 80, 3306, 6379, 8080, 53] as const;
const START_EPOCH_S = 1_720_000_000;

export function awsFlowLogLines(count: number, seed: number): string[] {
  const next = mulberry32(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const start = START_EPOCH_S + pick(86_400);
    const client = `10.1.${pick(8)}.${10 + pick(200)}`;
    const server = `10.2.${pick(4)}.${10 + pick(20)}`;
    const port = SERVICES[pick(SERVICES.length)]!;
    const proto = port === 53 ? 17 : 6;
    const action = pick(20) === 0 ? 'REJECT' : 'ACCEPT';
    const packets = 1 + pick(500);
    lines.push(
      `2 123456789010 eni-0a1b2c3d4e5f${pick(10)} ${client} ${server} ${32768 + pick(28000)} ${port} ${proto} ${packets} ${packets * (60 + pick(1400))} ${start} ${start + 60} ${action} OK\n`,
    );
  }
  return lines;
}

export function awsFlowLogText(count: number, seed: number): string {
  return HEADER + awsFlowLogLines(count, seed).join('');
}

/** A small export with the awkward rows real exports have: no-data windows and a line that cannot be parsed. */
export function smallAwsFlowLog(seed: number): string {
  const lines = awsFlowLogLines(1500, seed);
  lines.splice(100, 0, '2 123456789010 eni-0a1b2c3d4e5f1 - - - - - - - 1720000100 1720000160 - NODATA\n');
  lines.splice(700, 0, '2 123456789010 eni-0a1b2c3d4e5f2 - - - - - - - 1720000200 1720000260 - SKIPDATA\n');
  lines.splice(1200, 0, '2 123456789010 eni-0a1b2c3d4e5f3 10.1.0.1 not-an-address 40000 443 6 3 180 1720000300 1720000360 ACCEPT OK\n');
  return HEADER + lines.join('');
}

/** gzip members concatenated, as `cat a.gz b.gz` and many log shippers produce. */
export function multiMemberGzip(text: string, parts: number): Uint8Array {
  const members: Buffer[] = [];
  const step = Math.ceil(text.length / parts);
  for (let offset = 0; offset < text.length; offset += step) members.push(gzipSync(text.slice(offset, offset + step)));
  return Buffer.concat(members);
}

/** A gzip file cut short: the engine must report it, not read it as complete. */
export function truncatedGzip(text: string, missingBytes: number): Uint8Array {
  const whole = gzipSync(text);
  return whole.subarray(0, whole.length - missingBytes);
}

/** Writes a large export line by line (the Cancel test needs one that takes many seconds). */
export async function writeLargeAwsFlowLog(path: string, lineCount: number, seed: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(HEADER);
  const batch = 20_000;
  for (let done = 0; done < lineCount; done += batch) {
    if (!out.write(awsFlowLogLines(Math.min(batch, lineCount - done), seed + done).join(''))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function writeText(path: string, text: string | Uint8Array): Promise<string> {
  await writeFile(path, text);
  return path;
}

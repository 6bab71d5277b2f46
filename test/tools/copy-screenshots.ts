/**
 * Copies the screenshots README shows from test-results/ (where the e2e
 * tests write them on every run) to resources/screenshots/ (committed):
 *   npm run test:e2e && npm run screenshots
 * Kept apart from the test run because each capture carries the run's own
 * timings, so rewriting tracked files at every test would leave the tree dirty.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const README_SCREENSHOTS = ['workbench-moved.png', 'workbench-reopened.png', 'workbench-traffic.png', 'workbench-holdout.png', 'e2e-map.png', 'e2e-ingest.png'];

const from = fileURLToPath(new URL('../../test-results/', import.meta.url));
const to = fileURLToPath(new URL('../../resources/screenshots/', import.meta.url));
await mkdir(to, { recursive: true });
for (const name of README_SCREENSHOTS) await copyFile(`${from}${name}`, `${to}${name}`);
console.log(`copied ${README_SCREENSHOTS.length} screenshots to ${to}`);

// Regenerates resources/demo from the seeded generator (npm run demo:generate).
import { fileURLToPath } from 'node:url';
import { demoDataset } from '../../src/core/synth/demo-dataset';
import { writeGeneratedFiles } from '../../src/core/node/write-generated';

const directory = fileURLToPath(new URL('../../resources/demo', import.meta.url));
const written = await writeGeneratedFiles(demoDataset().files, directory);
for (const path of written.paths) console.log(path);

// Regenerates resources/demo from the seeded generator (npm run demo:generate).
import { fileURLToPath } from 'node:url';
import { demoDataset } from '../../src/core/synth/demo-dataset';
import { writeDemoFiles } from '../../src/core/node/write-demo';

const directory = fileURLToPath(new URL('../../resources/demo', import.meta.url));
const written = await writeDemoFiles(demoDataset().files, directory);
for (const path of written) console.log(path);

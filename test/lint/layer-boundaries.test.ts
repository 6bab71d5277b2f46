import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: `${ROOT}.eslint.config.js` });

/** The rule ids ESLint reports for `code` as if it lived at `path`. */
async function violations(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe('lint rules keep the layers apart', () => {
  it('src/core may not touch Node, the DOM, Electron, React or its own Node adapters', async () => {
    const found = await violations(
      'src/core/model/example.ts',
      [
        "import { readFileSync } from 'node:fs';",
        "import { app } from 'electron';",
        "import { useState } from 'react';",
        "import { nodeIngestHost } from '../node/gunzip';",
        'export const a = [readFileSync, app, useState, nodeIngestHost, window.location, process.env, Buffer.alloc(1)];',
      ].join('\n'),
    );
    expect(found.filter((v) => v.startsWith('no-restricted-imports'))).toHaveLength(4);
    expect(found.filter((v) => v.startsWith('no-restricted-globals'))).toHaveLength(3);
  });

  it('src/core/node may use Node but nothing above the engine', async () => {
    expect(await violations('src/core/node/example.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;")).toEqual([]);
    const found = await violations('src/core/node/example.ts', "import { runCli } from '../../cli/main';\nexport const r = runCli;");
    expect(found).toHaveLength(1);
  });

  it('the renderer reaches neither Node nor Electron directly', async () => {
    const found = await violations('src/renderer/example.ts', "import { ipcRenderer } from 'electron';\nimport { join } from 'node:path';\nexport const x = [ipcRenderer, join];");
    expect(found.filter((v) => v.startsWith('no-restricted-imports'))).toHaveLength(2);
  });

  it('no layer may open a network connection', async () => {
    for (const path of ['src/core/example.ts', 'src/cli/example.ts', 'src/main/example.ts', 'src/renderer/example.ts']) {
      const found = await violations(path, "import https from 'node:https';\nexport const x = [https, fetch('https://example.com')];");
      expect(found.length, path).toBeGreaterThanOrEqual(2);
    }
  });
});

import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// No overrideConfigFile: the config must be the one plain `npx eslint .` finds.
const eslint = new ESLint({ cwd: ROOT });

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

  it('the engine imports neither the synthetic-data generators nor src/shared', async () => {
    for (const path of ['src/core/discover/example.ts', 'src/core/util/example.ts', 'src/core/node/example.ts']) {
      const found = await violations(
        path,
        [
          "import { Random } from '../synth/random';",
          "import type { GeneratedFile } from '../synth/generated-file';",
          "import { IPC_CHANNELS } from '../../shared/ipc';",
          "import { APP_ORIGIN } from '../../shared';",
          'export const x = [Random, IPC_CHANNELS, APP_ORIGIN] as const;',
          'export type F = GeneratedFile;',
        ].join('\n'),
      );
      expect(found.filter((v) => v.startsWith('no-restricted-imports') && v.includes('src/core/synth')), path).toHaveLength(2);
      expect(found.filter((v) => v.startsWith('no-restricted-imports') && v.includes('src/shared')), path).toHaveLength(2);
      expect(found, path).toHaveLength(4);
    }
  });

  it('the seeded RNG and the generated-file type live in src/core/util, where the engine and the generators may both import them', async () => {
    const importsUtil = [
      "import { Random } from '../util/random';",
      "import type { GeneratedFile } from '../util/generated-file';",
      'export const r = new Random(1);',
      'export type F = GeneratedFile;',
    ].join('\n');
    for (const path of ['src/core/discover/example.ts', 'src/core/synth/example.ts', 'src/core/node/example.ts']) {
      expect(await violations(path, importsUtil), path).toEqual([]);
    }
  });

  it('the generators may import each other but are as pure as the engine', async () => {
    expect(await violations('src/core/synth/example.ts', "import { awsDataset } from './aws-dataset';\nimport { hourly } from './traffic';\nexport const x = [awsDataset, hourly];")).toEqual([]);
    const found = await violations(
      'src/core/synth/example.ts',
      "import { readFileSync } from 'node:fs';\nimport { IPC_CHANNELS } from '../../shared/ipc';\nimport { nodeIngestHost } from '../node/gunzip';\nexport const x = [readFileSync, IPC_CHANNELS, nodeIngestHost, process.env];",
    );
    expect(found.filter((v) => v.startsWith('no-restricted-imports'))).toHaveLength(3);
    expect(found.filter((v) => v.startsWith('no-restricted-globals'))).toHaveLength(1);
  });

  it('src/shared is linted as renderer code: no Node, no Electron, no DOM, nothing above it', async () => {
    expect(await violations('src/shared/example.ts', 'export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);')).toEqual([]);
    const found = await violations(
      'src/shared/example.ts',
      [
        "import { join } from 'node:path';",
        "import { createHash } from 'crypto';",
        "import { ipcRenderer } from 'electron';",
        "import { createMainWindow } from '../main/main-window';",
        "import { desktopPlatform } from '../renderer/platform/desktop';",
        'export const x = [join, createHash, ipcRenderer, createMainWindow, desktopPlatform, process.platform, Buffer.alloc(1), window.location];',
      ].join('\n'),
    );
    expect(found.filter((v) => v.startsWith('no-restricted-imports'))).toHaveLength(5);
    expect(found.filter((v) => v.startsWith('no-restricted-globals'))).toHaveLength(3);
    // The shell and the page may still import it.
    for (const path of ['src/main/example.ts', 'src/preload/example.ts', 'src/renderer/example.ts']) {
      expect(await violations(path, "import { IPC_CHANNELS } from '../shared/ipc';\nexport const c = IPC_CHANNELS;"), path).toEqual([]);
    }
  });

  it('the renderer reaches neither Node nor Electron directly', async () => {
    const found = await violations('src/renderer/example.ts', "import { ipcRenderer } from 'electron';\nimport { join } from 'node:path';\nexport const x = [ipcRenderer, join];");
    expect(found.filter((v) => v.startsWith('no-restricted-imports'))).toHaveLength(2);
  });

  it('no layer may open a network connection', async () => {
    for (const path of ['src/core/example.ts', 'src/core/synth/example.ts', 'src/cli/example.ts', 'src/main/example.ts', 'src/shared/example.ts', 'src/renderer/example.ts']) {
      const found = await violations(path, "import https from 'node:https';\nexport const x = [https, fetch('https://example.com')];");
      expect(found.length, path).toBeGreaterThanOrEqual(2);
    }
  });
});

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_EXTENSION } from '../../src/core/workspace/workspace-model';

/**
 * The packaging check that runs here. electron-builder cannot build an
 * installer on this machine (it downloads the Electron runtime), so the
 * `build` key of package.json is checked the way electron-builder checks it
 * before building (its own loader and schema validator, `validateConfiguration`),
 * and against what the app needs on each platform: a target, an icon large
 * enough for every size it makes, the `.flowfence` association, and every
 * built file the main process loads.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

interface BuildConfig {
  readonly appId?: string;
  readonly productName?: string;
  readonly directories?: { readonly buildResources?: string };
  /** As electron-builder's loader normalises it: one set of patterns. */
  readonly files?: readonly { readonly filter?: readonly string[] }[];
  readonly fileAssociations?: readonly { readonly ext: string; readonly name?: string; readonly mimeType?: string }[];
  readonly linux?: { readonly target?: readonly string[]; readonly icon?: string; readonly maintainer?: string; readonly executableName?: string };
  readonly win?: { readonly target?: readonly string[]; readonly icon?: string };
  readonly mac?: { readonly target?: readonly string[]; readonly icon?: string };
  readonly nsis?: { readonly perMachine?: boolean };
}

async function loadConfig(): Promise<BuildConfig> {
  const { getConfig } = require('app-builder-lib/out/util/config/config') as { getConfig: (projectDir: string, configPath: string | null, fromOptions: null) => Promise<BuildConfig> };
  return getConfig(root, null, null);
}

describe('the electron-builder configuration', () => {
  it("passes electron-builder's own validation", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration: (config: unknown, logger: unknown) => Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = await loadConfig();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The validator really refuses what is wrong (an option that does not exist).
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, notAnOption: true } }, new DebugLogger(false))).rejects.toThrow(/configuration\.linux/);
  });

  it('builds an installer for Linux, Windows and macOS, each with an icon of at least 512 × 512', async () => {
    const config = await loadConfig();
    for (const platform of [config.linux, config.win, config.mac]) {
      expect(platform?.target?.length ?? 0).toBeGreaterThan(0);
      const png = await readFile(`${root}${config.directories?.buildResources ?? 'build'}/${platform?.icon ?? 'icon.png'}`);
      // PNG signature, then the IHDR chunk's width and height.
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(Math.min(png.readUInt32BE(16), png.readUInt32BE(20))).toBeGreaterThanOrEqual(512);
    }
    // A .deb must name its maintainer; NSIS registers file associations only for a per-machine install.
    expect(config.linux?.target).toContain('deb');
    expect(config.linux?.maintainer).toMatch(/<.+@.+>/);
    expect(config.nsis?.perMachine).toBe(true);
    // On Linux the app's executable lands on the PATH beside the CLI's `flowfence`: it needs a name of its own.
    const manifest = JSON.parse(await readFile(`${root}package.json`, 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(manifest.bin)).not.toContain(config.linux?.executableName ?? 'flowfence');
  });

  it('associates the workspace extension with the app, with a MIME type for Linux', async () => {
    const config = await loadConfig();
    const association = config.fileAssociations?.find((entry) => `.${entry.ext}` === WORKSPACE_EXTENSION);
    expect(association?.name).toBe('Flowfence workspace');
    expect(association?.mimeType).toMatch(/^application\/x-flowfence$/);
  });

  it('packs every built file the main process loads, and no sources', async () => {
    const config = await loadConfig();
    const manifest = JSON.parse(await readFile(`${root}package.json`, 'utf8')) as { main: string };
    const patterns = (config.files ?? []).flatMap((entry) => entry.filter ?? []);
    expect(patterns.length).toBeGreaterThan(0);
    const covered = (path: string) => patterns.some((pattern) => (pattern.endsWith('/**') ? path.startsWith(pattern.slice(0, -2)) : path === pattern));
    // The entry point, and the preload script and renderer folder that src/main/index.ts names beside it.
    for (const path of [manifest.main, 'dist/preload/index.cjs', 'dist/renderer/index.html']) expect(covered(path), path).toBe(true);
    for (const path of ['src/main/index.ts', 'test/e2e/browser-session.ts', 'node_modules/electron/index.js']) expect(covered(path), path).toBe(false);
    const mainSource = await readFile(`${root}src/main/index.ts`, 'utf8');
    expect(mainSource).toContain("'../preload/index.cjs'");
    expect(mainSource).toContain("'../renderer/'");
  });
});

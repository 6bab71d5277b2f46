import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBrowser, printHtmlToPdf } from '../../../src/core/node/print-pdf';

// The attestation pack's report printed by a browser already on the machine:
// found where browsers install themselves, or where FLOWFENCE_BROWSER says.

async function fakeProgram(path: string): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '#!/bin/sh\nexit 0\n');
  await chmod(path, 0o755);
  return path;
}

const BROWSER = await findBrowser();

describe('findBrowser', () => {
  it('takes FLOWFENCE_BROWSER when it names a program, and refuses one that does not exist', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'flowfence-browser-'));
    const program = await fakeProgram(join(folder, 'my-chrome'));
    expect(await findBrowser({ FLOWFENCE_BROWSER: program }, 'linux')).toBe(program);
    await expect(findBrowser({ FLOWFENCE_BROWSER: join(folder, 'none') }, 'linux')).rejects.toThrow(/none: no such program/);
  });

  it('looks where Chrome and Edge install themselves on Windows, Chrome first', async () => {
    const root = await mkdtemp(join(tmpdir(), 'flowfence-programs-'));
    expect(await findBrowser({ PROGRAMFILES: root }, 'win32')).toBeNull();
    const edge = await fakeProgram(join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'));
    expect(await findBrowser({ PROGRAMFILES: root }, 'win32')).toBe(edge);
    const chrome = await fakeProgram(join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'));
    expect(await findBrowser({ PROGRAMFILES: root }, 'win32')).toBe(chrome);
  });
});

describe('printHtmlToPdf', () => {
  it('says which program could not print, rather than writing an empty PDF', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'flowfence-browser-'));
    await expect(printHtmlToPdf(await fakeProgram(join(folder, 'silent')), '<p>x</p>')).rejects.toThrow(/silent printed nothing/);
    await expect(printHtmlToPdf('/bin/false', '<p>x</p>')).rejects.toThrow(/\/bin\/false could not print the report/);
  });

  it.skipIf(BROWSER === null)(`prints a page to a PDF with the browser on the machine${BROWSER === null ? ' (skipped: no Chromium, Chrome or Edge here; CI installs Debian\'s chromium)' : ''}`, async () => {
    const pdf = await printHtmlToPdf(BROWSER!, '<!doctype html><meta charset="utf-8"><title>t</title><h1>Attestation</h1><p>« owner » &amp; rules</p>');
    const text = Buffer.from(pdf).toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect((text.match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBe(1);
  }, 60_000);
});

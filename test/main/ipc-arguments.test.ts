import { describe, expect, it } from 'vitest';
import { IpcArgumentError, MAX_SAVE_TEXT_CHARS, isPlainFileName, parseAutosaveArguments, parseNoArguments, parseRecentIdArguments, parseSaveArchiveArguments, parseSaveTextArguments, parseSaveWorkspaceArguments } from '../../src/main/ipc-arguments';

describe('parseSaveTextArguments', () => {
  it('accepts a plain file name and a string', () => {
    expect(parseSaveTextArguments(['flowfence-summary.json', '{}\n'])).toEqual({ suggestedName: 'flowfence-summary.json', text: '{}\n' });
  });

  it('refuses the wrong number or types of arguments', () => {
    expect(() => parseSaveTextArguments([])).toThrow(IpcArgumentError);
    expect(() => parseSaveTextArguments(['a.json'])).toThrow(/2 arguments/);
    expect(() => parseSaveTextArguments(['a.json', 'x', 'extra'])).toThrow(/2 arguments/);
    expect(() => parseSaveTextArguments([42, 'x'])).toThrow(/plain file name/);
    expect(() => parseSaveTextArguments(['a.json', { toString: () => 'x' }])).toThrow(/must be a string/);
  });

  it('refuses names that are paths', () => {
    for (const name of ['../evil.json', '/etc/passwd', 'C:\\Windows\\evil.dll', 'dir/file.json', 'C:evil']) {
      expect(() => parseSaveTextArguments([name, 'x']), name).toThrow(/plain file name/);
    }
  });

  it('refuses text beyond the size limit', () => {
    expect(() => parseSaveTextArguments(['a.json', 'x'.repeat(11)], 10)).toThrow(/longer than 10 characters/);
    expect(() => parseSaveTextArguments(['a.json', 'x'.repeat(10)], 10)).not.toThrow();
    expect(MAX_SAVE_TEXT_CHARS).toBeGreaterThanOrEqual(64 * 1024 * 1024);
  });
});

describe('isPlainFileName', () => {
  it('accepts ordinary names', () => {
    for (const name of ['summary.json', 'edges 2024-05-01.csv', 'résumé.txt', 'a']) expect(isPlainFileName(name), name).toBe(true);
  });

  it('refuses separators, control and reserved characters, dot names and trailing dots or spaces', () => {
    for (const name of ['', '.', '..', '.hidden', 'a/b', 'a\\b', 'a:b', 'a*b', 'a?b', 'a"b', 'a<b', 'a>b', 'a|b', 'a\u0000b', 'a\nb', 'name.', 'name ', 'x'.repeat(201)]) {
      expect(isPlainFileName(name), JSON.stringify(name)).toBe(false);
    }
  });
});

describe('parseNoArguments', () => {
  it('refuses any argument', () => {
    expect(() => parseNoArguments('openFiles', [])).not.toThrow();
    expect(() => parseNoArguments('openFiles', ['/etc/passwd'])).toThrow(/takes no arguments/);
  });
});

describe('workspace arguments', () => {
  it('accepts a plain name and bytes, and refuses paths, non-bytes and oversized workspaces', () => {
    const bytes = new Uint8Array([1, 2]);
    expect(parseSaveWorkspaceArguments(['work.flowfence', bytes])).toEqual({ suggestedName: 'work.flowfence', bytes });
    expect(parseSaveArchiveArguments(['rule-sets.zip', bytes])).toEqual({ suggestedName: 'rule-sets.zip', bytes });
    expect(() => parseSaveArchiveArguments(['../rule-sets.zip', bytes])).toThrow(/saveArchive: the suggested name must be a plain file name/);
    expect(() => parseSaveArchiveArguments(['rule-sets.zip', 'text'])).toThrow(/saveArchive/);
    expect(() => parseSaveWorkspaceArguments(['../work.flowfence', bytes])).toThrow(/plain file name/);
    expect(() => parseSaveWorkspaceArguments(['work.flowfence', 'text'])).toThrow(/must be bytes/);
    expect(() => parseSaveWorkspaceArguments(['work.flowfence', new Uint8Array(11)], 10)).toThrow(/larger than 10 bytes/);
    expect(parseAutosaveArguments([bytes])).toBe(bytes);
    expect(() => parseAutosaveArguments([bytes, bytes])).toThrow(IpcArgumentError);
    expect(() => parseAutosaveArguments([[1, 2]])).toThrow(/must be bytes/);
  });
});

describe('parseRecentIdArguments', () => {
  it('accepts one recent entry id and nothing else', () => {
    expect(parseRecentIdArguments(['0123456789abcdef'])).toBe('0123456789abcdef');
    for (const args of [[], ['0123456789abcdef', 'x'], ['/etc/passwd'], ['0123456789ABCDEF'], [16], ['0123456789abcdef0']]) {
      expect(() => parseRecentIdArguments(args), JSON.stringify(args)).toThrow(IpcArgumentError);
    }
  });
});

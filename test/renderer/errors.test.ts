import { describe, expect, it } from 'vitest';
import { abortError, isAbortError, rebuildError, serializeError } from '../../src/renderer/engine/errors';

describe('errors across the worker boundary', () => {
  it('keep their name and message through structured cloning', () => {
    const original = new TypeError('bad input');
    const rebuilt = rebuildError(structuredClone(serializeError(original)));
    expect(rebuilt).toBeInstanceOf(Error);
    expect(rebuilt.name).toBe('TypeError');
    expect(rebuilt.message).toBe('bad input');
  });

  it('turn an aborted signal into an AbortError the page recognises', () => {
    const controller = new AbortController();
    controller.abort();
    const rebuilt = rebuildError(structuredClone(serializeError(controller.signal.reason)));
    expect(isAbortError(rebuilt)).toBe(true);
    expect(isAbortError(new Error('other'))).toBe(false);
    expect(isAbortError(abortError())).toBe(true);
  });

  it('describe thrown non-errors readably', () => {
    expect(serializeError('plain text')).toEqual({ name: 'Error', message: 'plain text' });
    expect(serializeError({ code: 7 })).toEqual({ name: 'Error', message: '{"code":7}' });
  });
});

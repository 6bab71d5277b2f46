/**
 * Errors cross the worker boundary as plain data and are rebuilt on the other
 * side with their name, so the page can tell a cancellation (AbortError) from
 * a failure without parsing messages.
 */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error || error instanceof DOMException) {
    return { name: error.name, message: error.message, ...(error.stack !== undefined ? { stack: error.stack } : {}) };
  }
  return { name: 'Error', message: typeof error === 'string' ? error : safeString(error) };
}

export function rebuildError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  error.name = serialized.name;
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}

export function isAbortError(error: unknown): boolean {
  return (error instanceof Error || error instanceof DOMException) && error.name === 'AbortError';
}

export function abortError(message = 'The analysis was cancelled'): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

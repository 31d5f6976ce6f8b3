// One error type for expected failures; each boundary (HTTP, CLI, MCP, chat) translates it once.

/** Error codes are `${kind}:${surface}`, e.g. `config:invalid`, `db:locked`, `import:fatal`. */
export type ErrorCode = `${string}:${string}`;

/** An expected failure with a stable code and a message fit to show a user. */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

/** True when `err` is an AppError (optionally with a code starting with `prefix`). */
export function isAppError(err: unknown, prefix?: string): err is AppError {
  return err instanceof AppError && (prefix === undefined || err.code.startsWith(prefix));
}

export const ErrorCodes = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED: 415,
  RATE_LIMITED: 429,
  UPSTREAM_FAILED: 502,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export type FieldErrors = Record<string, string>;

/** `cause` is what went wrong underneath (an SDK or driver error, a failure value): logged, never shown to a client. */
export type AppErrorOptions = { fields?: FieldErrors; cause?: unknown };

/** An expected failure with a code the boundaries map to an HTTP status or an ActionResult; its message is for users. */
export class AppError extends Error {
  readonly fields?: FieldErrors;

  constructor(
    readonly code: ErrorCode,
    message: string,
    opts: AppErrorOptions = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "AppError";
    if (opts.fields) this.fields = opts.fields;
  }

  get status(): number {
    return ErrorCodes[this.code];
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

import type { ErrorCode, FieldErrors } from "./errors";

export type ActionError = { code: ErrorCode; message: string; fields?: FieldErrors };

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

import type { ErrorCode, FieldErrors } from "./errors";

export type ActionError = { code: ErrorCode; message: string; fields?: FieldErrors };

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

/** A failed ActionResult raised as an error, for react-query query functions. */
export class ActionFailure extends Error {
  constructor(readonly error: ActionError) {
    super(error.message);
  }
}

export function unwrap<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new ActionFailure(result.error);
  return result.data;
}

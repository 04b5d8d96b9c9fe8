import type { ErrorCode, FieldErrors } from "./errors";

/**
 * The outcome of a call that can fail in expected ways (a cluster, AWS, a registry): a value, never an exception.
 * Every integration returns it; `F` is the integration's failure, which says what kind of failure it was and why.
 */
export type Result<T, F> = { ok: true; value: T } | { ok: false; error: F };

/** The shape every integration failure shares: a kind to branch on and a sentence that never carries a secret. */
export type Failure<K extends string = string> = { kind: K; message: string };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<F>(error: F): { ok: false; error: F } {
  return { ok: false, error };
}

export type ActionError = { code: ErrorCode; message: string; fields?: FieldErrors };

/** What a server action answers (the boundary's shape for the browser; `Result` is for calls inside the server). */
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

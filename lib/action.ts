import "server-only";
import type { Actor } from "./auth/actor";
import { getSessionActor } from "./auth/current";
import type { Ctx } from "./context";
import { AppError, isAppError } from "./errors";
import { describeError, log } from "./log";
import type { ActionError, ActionResult } from "./result";
import { runtime } from "./runtime";

/** Server-action boundary: resolves the signed-in actor and turns failures into an ActionResult. */
export async function withActor<T>(name: string, fn: (ctx: Ctx) => Promise<T>): Promise<ActionResult<T>> {
  try {
    const actor: Actor | null = await getSessionActor();
    if (!actor) throw new AppError("UNAUTHENTICATED", "Your session has expired. Sign in again.");
    const { database, keyring } = await runtime();
    return { ok: true, data: await fn({ db: database.db, keyring, actor }) };
  } catch (err) {
    return toActionError(name, err);
  }
}

export function toActionError(name: string, err: unknown): { ok: false; error: ActionError } {
  if (isAppError(err))
    return {
      ok: false,
      error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) },
    };
  log.error("unhandled error in server action", { action: name, ...describeError(err) });
  return { ok: false, error: { code: "INTERNAL", message: "Something went wrong on the server; see its log." } };
}

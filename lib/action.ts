import "server-only";
import type { z } from "zod";
import type { Actor } from "./auth/actor";
import { getSessionActor } from "./auth/current";
import type { Ctx } from "./context";
import { AppError, isAppError } from "./errors";
import { describeError, log } from "./log";
import type { ActionError, ActionResult } from "./result";
import { runtime } from "./runtime";
import { parseWith } from "./validation";

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

/**
 * Server-action boundary for an action with a body: the actor first, then `input` parsed with `schema` (the concept's
 * zod schema, whose input type the action declares), so `fn` gets the parsed value or the caller gets field errors.
 */
export async function withInput<S extends z.ZodType, T>(
  name: string,
  schema: S,
  input: z.input<S>,
  fn: (ctx: Ctx, input: z.output<S>) => Promise<T>,
): Promise<ActionResult<T>> {
  return withActor(name, (ctx) => fn(ctx, parseWith(schema, input)));
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

import "server-only";
import { sql } from "drizzle-orm";
import { env } from "./env";
import { runtime } from "./runtime";

export type Readiness = { ready: true } | { ready: false; reason: string };

const DB_TIMEOUT_MS = 3_000;
const controllerKey = Symbol.for("regcred.controller");
const stoppingKey = Symbol.for("regcred.stopping");
type Flags = { [stoppingKey]?: boolean; [controllerKey]?: unknown };

/** SIGTERM arrived: from now on this replica is not ready, so the Service stops sending it requests. */
export function markStopping(): void {
  (globalThis as Flags)[stoppingKey] = true;
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Ready: the database is open with its migrations applied and answers a trivial query, and the in-process
 * controller (when configured) has started. Being a follower or having an unreachable cluster never counts
 * against it, or every replica would leave the Service at once.
 */
export async function readiness(): Promise<Readiness> {
  if ((globalThis as Flags)[stoppingKey]) return { ready: false, reason: "this replica is shutting down" };
  let database;
  try {
    database = (await within(runtime(), DB_TIMEOUT_MS)).database;
  } catch {
    return { ready: false, reason: "the database is not open yet (start-up is running or failed; see the log)" };
  }
  try {
    await within(database.db.execute(sql`select 1`), DB_TIMEOUT_MS);
  } catch {
    return { ready: false, reason: "the database does not answer" };
  }
  const started = (globalThis as Flags)[controllerKey] !== undefined;
  if (env().REGCRED_CONTROLLER === "inprocess" && !started)
    return { ready: false, reason: "the controller has not started" };
  return { ready: true };
}

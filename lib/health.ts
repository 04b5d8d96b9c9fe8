import "server-only";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
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

let shipped: number | undefined;
/** How many migrations this build ships (drizzle's journal, beside the SQL files the server migrates from). */
function shippedMigrations(): number {
  const journal = path.join(process.cwd(), "db", "migrations", "meta", "_journal.json");
  shipped ??= (JSON.parse(fs.readFileSync(journal, "utf8")) as { entries: unknown[] }).entries.length;
  return shipped;
}

/** Migrations recorded in the database, or null when drizzle's table is not there at all. */
async function appliedMigrations(db: Db): Promise<number | null> {
  const result = (await db
    .execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)
    .catch((err: unknown) => {
      const e = err as { code?: string; cause?: { code?: string } };
      // undefined_table, invalid_schema_name: a database nobody migrated (or one restored from an empty dump).
      if (["42P01", "3F000"].includes(e.cause?.code ?? e.code ?? "")) return null;
      throw err;
    })) as unknown;
  if (result === null) return null;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ n: number }>;
  return Number(rows[0]?.n ?? 0);
}

/**
 * Ready: the database is open, answers, and holds every migration this build ships, and the in-process controller
 * (when configured) has started. Being a follower or having an unreachable cluster never counts against it, or every
 * replica would leave the Service at once. Reasons name no host, user or secret.
 */
export async function readiness(): Promise<Readiness> {
  if ((globalThis as Flags)[stoppingKey]) return { ready: false, reason: "this replica is shutting down" };
  let database;
  try {
    database = (await within(runtime(), DB_TIMEOUT_MS)).database;
  } catch {
    return { ready: false, reason: "the database is not open yet (start-up is running or failed; see the log)" };
  }
  let applied: number | null;
  try {
    applied = await within(appliedMigrations(database.db), DB_TIMEOUT_MS);
  } catch {
    return { ready: false, reason: "the database does not answer" };
  }
  if (applied === null || applied < shippedMigrations())
    return { ready: false, reason: "the database's migrations are not applied (restart to apply them)" };
  const started = (globalThis as Flags)[controllerKey] !== undefined;
  if (env().REGCRED_CONTROLLER === "inprocess" && !started)
    return { ready: false, reason: "the controller has not started" };
  return { ready: true };
}

/** The readiness answer every probe endpoint sends: 200 `{"status":"ready"}`, or 503 with the reason. */
export async function readinessAnswer(): Promise<{ status: 200 | 503; body: Record<string, string> }> {
  const r = await readiness();
  return r.ready
    ? { status: 200, body: { status: "ready" } }
    : { status: 503, body: { status: "not-ready", reason: r.reason } };
}

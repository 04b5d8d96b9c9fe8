import "server-only";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Database = { db: Db; kind: "pglite" | "postgres"; close: () => Promise<void> };

const pgliteSharedBuffers = "16MB";
const migrationsFolder = path.join(process.cwd(), "db", "migrations");

// Runs in a child process: creates the cluster (initdb) and exits, so the WASM memory it touched is not kept.
const initdbScript = `
const { PGlite } = await import("@electric-sql/pglite");
const [dir, params] = JSON.parse(process.argv[1]);
const db = new PGlite(dir, { startParams: [...PGlite.defaultStartParams, ...params] });
await db.waitReady;
await db.close();
`;

/** A new PGlite data directory is initialised by a short-lived process: initdb grows the WASM heap for good. */
async function initdbApart(dir: string, params: string[]): Promise<void> {
  if (fs.existsSync(path.join(dir, "PG_VERSION"))) return;
  // On failure PGlite runs initdb itself when the database opens below, as it would without this step.
  await promisify(execFile)(
    process.execPath,
    ["--input-type=module", "-e", initdbScript, JSON.stringify([dir, params])],
    { cwd: process.cwd(), timeout: 120_000 },
  ).catch(() => undefined);
}

/** Opens PostgreSQL when a URL is given, else PGlite under dataDir (or in memory), and applies migrations. */
export async function openDatabase(opts: { url?: string; dataDir?: string }): Promise<Database> {
  if (opts.url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    const client = postgres(opts.url, { max: 10, onnotice: () => {} });
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder });
    return { db: db as unknown as Db, kind: "postgres", close: () => client.end() };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  let dir: string | undefined;
  if (opts.dataDir) {
    dir = path.join(opts.dataDir, "pglite");
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  // PostgreSQL's default 128 MB of shared buffers ends up resident in PGlite's WASM heap, which never shrinks.
  const params = ["-c", `shared_buffers=${pgliteSharedBuffers}`];
  if (dir) await initdbApart(dir, params);
  const client = new PGlite(dir, { startParams: [...PGlite.defaultStartParams, ...params] });
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return { db: db as unknown as Db, kind: "pglite", close: () => client.close() };
}

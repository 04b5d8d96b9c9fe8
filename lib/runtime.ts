import "server-only";
import { type Database, openDatabase } from "@/db/client";
import { bootstrap } from "./bootstrap";
import { keyringFromEnv } from "./crypto/load-keyring";
import { describeMissingKeys, findMissingKeys } from "./crypto/reseal";
import type { Keyring } from "./crypto/secret-box";
import { EnvError, env } from "./env";

type Runtime = { database: Database; keyring: Keyring };

const globalForRuntime = globalThis as unknown as { regcredRuntime?: Promise<Runtime> };

async function createRuntime(): Promise<Runtime> {
  const e = env();
  const keyring = keyringFromEnv(e);
  const database = await openDatabase({ url: e.DATABASE_URL, dataDir: e.dataDir });
  const missing = await findMissingKeys(database.db, keyring);
  if (missing.length > 0) {
    await database.close();
    throw new EnvError(describeMissingKeys(missing));
  }
  await bootstrap(database.db, e);
  return { database, keyring };
}

/** The process-wide database and keyring, opened once. */
export function runtime(): Promise<Runtime> {
  globalForRuntime.regcredRuntime ??= createRuntime().catch((err: unknown) => {
    globalForRuntime.regcredRuntime = undefined;
    throw err;
  });
  return globalForRuntime.regcredRuntime;
}

export async function getDb() {
  return (await runtime()).database.db;
}

export async function getKeyring() {
  return (await runtime()).keyring;
}

/** Closes the database if it was opened (shutdown); a later runtime() would open it afresh. */
export async function closeRuntime(): Promise<void> {
  const opened = globalForRuntime.regcredRuntime;
  globalForRuntime.regcredRuntime = undefined;
  const rt = await opened?.catch(() => null);
  await rt?.database.close();
}

import "server-only";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { type Database, openDatabase } from "@/db/client";
import { bootstrap } from "./bootstrap";
import { createKeyring, decodeKey, type Keyring } from "./crypto/secret-box";
import { env } from "./env";

type Runtime = { database: Database; keyring: Keyring };

const globalForRuntime = globalThis as unknown as { regcredRuntime?: Promise<Runtime> };

function loadKey(dataDir: string, configured: string | undefined): Buffer {
  if (configured) return decodeKey(configured);
  const file = path.join(dataDir, "encryption.key");
  if (fs.existsSync(file)) return decodeKey(fs.readFileSync(file, "utf8"));
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  fs.writeFileSync(file, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  return key;
}

async function createRuntime(): Promise<Runtime> {
  const e = env();
  const keyring = createKeyring(loadKey(e.dataDir, e.REGCRED_ENCRYPTION_KEY));
  const database = await openDatabase({ url: e.DATABASE_URL, dataDir: e.dataDir });
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

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { test as setup } from "@playwright/test";
import postgres from "postgres";
import { appServerEnv, POSTGRES_RUN_DIR } from "./env";
import { freePort, spawnAppServer, waitForAppServer } from "./own-server";
import { POSTGRES_STATE, type PostgresServerState } from "./postgres-state";

setup("[postgres] start the app on a fresh PostgreSQL database", async () => {
  setup.setTimeout(120_000);
  const admin = process.env.DATABASE_URL_TEST;
  if (!admin)
    throw new Error(
      "DATABASE_URL_TEST is not set: the *-postgres projects need PostgreSQL. Start the peers with scripts/peers/up.sh and source their env file.",
    );
  fs.rmSync(POSTGRES_RUN_DIR, { recursive: true, force: true });
  fs.mkdirSync(POSTGRES_RUN_DIR, { recursive: true });
  const database = `regcred_e2e_${randomBytes(6).toString("hex")}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`create database ${database}`);
  } finally {
    await sql.end();
  }
  const url = new URL(admin);
  url.pathname = `/${database}`;
  const port = await freePort();
  const log = path.join(POSTGRES_RUN_DIR, "server.log");
  const env = appServerEnv({ dataDir: path.join(POSTGRES_RUN_DIR, "data"), url: url.toString() });
  const child = spawnAppServer(port, env, log);
  const state: PostgresServerState = { pid: child.pid!, database };
  fs.writeFileSync(POSTGRES_STATE, JSON.stringify(state));
  await waitForAppServer(`http://127.0.0.1:${port}`, child, log, 90_000);
  // The server outlives this worker; e2e/postgres.teardown.ts stops it.
  child.unref();
  process.env.E2E_TARGET_PORT = String(port);
  process.env.E2E_TARGET_LOG = log;
});

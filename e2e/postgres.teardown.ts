import fs from "node:fs";
import { test as teardown } from "@playwright/test";
import postgres from "postgres";
import { POSTGRES_STATE, type PostgresServerState } from "./postgres-state";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

teardown("[postgres] stop the app and drop its database", async () => {
  if (!fs.existsSync(POSTGRES_STATE)) return;
  const state = JSON.parse(fs.readFileSync(POSTGRES_STATE, "utf8")) as PostgresServerState;
  if (alive(state.pid)) process.kill(state.pid, "SIGTERM");
  for (let i = 0; i < 100 && alive(state.pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(state.pid)) process.kill(state.pid, "SIGKILL");
  const sql = postgres(process.env.DATABASE_URL_TEST!, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists ${state.database} with (force)`);
  } finally {
    await sql.end();
  }
  fs.rmSync(POSTGRES_STATE);
});

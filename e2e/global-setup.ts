import fs from "node:fs";
import path from "node:path";
import { ensureMoto } from "../test/peers/moto";
import { appServerEnv, BASE_URL, E2E_PORT, RUN_DIR, SERVER_LOG } from "./env";
import { spawnAppServer, waitForAppServer } from "./own-server";

/** Starts the built app on a throw-away PGlite data dir; the returned function stops it. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const moto = await ensureMoto();
  // Workers inherit it, so the PostgreSQL-backed server (e2e/postgres.setup.ts) uses the same moto.
  process.env.MOTO_URL = moto.url;
  const child = spawnAppServer(E2E_PORT, appServerEnv({ dataDir: path.join(RUN_DIR, "data") }), SERVER_LOG);
  await waitForAppServer(BASE_URL, child, SERVER_LOG).catch((err: unknown) => {
    child.kill("SIGTERM");
    throw err;
  });
  return async () => {
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    await moto.stop();
  };
}

import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ensureMoto } from "../test/peers/moto";
import { ADMIN_EMAIL, ADMIN_PASSWORD, BASE_URL, BOOTSTRAP_TOKEN, E2E_PORT, ORG, RUN_DIR, SERVER_LOG } from "./env";

async function waitForServer(child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}; see ${SERVER_LOG}`);
    try {
      const res = await fetch(`${BASE_URL}/login`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server did not answer within ${timeoutMs} ms; see ${SERVER_LOG}`);
}

/** Starts the built app on a throw-away PGlite data dir; the returned function stops it. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const moto = await ensureMoto();
  process.env.MOTO_URL = moto.url;
  const log = fs.openSync(SERVER_LOG, "w");
  const child = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(E2E_PORT), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      REGCRED_DATA_DIR: path.join(RUN_DIR, "data"),
      REGCRED_DEFAULT_ORG: ORG,
      REGCRED_ADMIN_EMAIL: ADMIN_EMAIL,
      REGCRED_ADMIN_PASSWORD: ADMIN_PASSWORD,
      REGCRED_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN,
      LOG_LEVEL: "debug",
      DATABASE_URL: "",
      AWS_ENDPOINT_URL_ECR: moto.url,
      // The shared apiserver is used by many specs; the controller is proven by test/integration/controller*.test.ts.
      REGCRED_CONTROLLER: "off",
      // The peers all listen on 127.0.0.1; production refuses loopback targets.
      REGCRED_EGRESS_ALLOW_LOOPBACK: "true",
      // The suite signs in from 127.0.0.1 many times; e2e/api/sign-in.spec.ts runs one server at production values.
      REGCRED_PASSWORD_SCRYPT_LOG_N: "12",
      REGCRED_SIGNIN_ACCOUNT_ATTEMPTS: "1000",
      REGCRED_SIGNIN_CLIENT_ATTEMPTS: "10000",
    },
    stdio: ["ignore", log, log],
  });
  await waitForServer(child, 60_000);
  return async () => {
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    await moto.stop();
  };
}

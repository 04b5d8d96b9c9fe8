import os from "node:os";
import path from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const ORG = "e2e-org";
export const ADMIN_EMAIL = "admin@e2e.test";
export const ADMIN_PASSWORD = "e2e-admin-password-123";
export const BOOTSTRAP_TOKEN = "e2e-bootstrap-token-0123456789abcdef";
export const METRICS_TOKEN = "e2e-metrics-token-0123456789abcdef0123";
export const RUN_DIR = process.env.E2E_RUN_DIR ?? path.join(os.tmpdir(), `regcred-e2e-${E2E_PORT}`);

/** Where e2e/postgres.setup.ts keeps its server's log, state and data dir. */
export const POSTGRES_RUN_DIR = path.join(RUN_DIR, "postgres");
export const STORAGE_STATES = {
  pglite: path.join(RUN_DIR, "admin-state.json"),
  postgres: path.join(POSTGRES_RUN_DIR, "admin-state.json"),
};

// e2e/postgres.setup.ts sets E2E_TARGET_PORT and E2E_TARGET_LOG; Playwright hands a setup project's
// environment to the projects that depend on it, so their specs talk to the PostgreSQL-backed server.
const TARGET_PORT = Number(process.env.E2E_TARGET_PORT ?? E2E_PORT);
export const ON_POSTGRES = process.env.E2E_TARGET_PORT !== undefined;
export const BASE_URL = `http://127.0.0.1:${TARGET_PORT}`;
export const SERVER_LOG = process.env.E2E_TARGET_LOG ?? path.join(RUN_DIR, "server.log");
export const STORAGE_STATE = ON_POSTGRES ? STORAGE_STATES.postgres : STORAGE_STATES.pglite;

/** The settings every suite-wide server runs with; `database` is a PGlite data dir or a PostgreSQL URL. */
export function appServerEnv(database: { dataDir: string; url?: string }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    REGCRED_DATA_DIR: database.dataDir,
    DATABASE_URL: database.url ?? "",
    REGCRED_DEFAULT_ORG: ORG,
    REGCRED_ADMIN_EMAIL: ADMIN_EMAIL,
    REGCRED_ADMIN_PASSWORD: ADMIN_PASSWORD,
    REGCRED_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN,
    REGCRED_METRICS_TOKEN: METRICS_TOKEN,
    LOG_LEVEL: "debug",
    AWS_ENDPOINT_URL_ECR: process.env.MOTO_URL ?? "",
    // The shared apiserver is used by many specs; the controller is proven by test/integration/controller*.test.ts.
    REGCRED_CONTROLLER: "off",
    // The peers all listen on 127.0.0.1; production refuses loopback targets.
    REGCRED_EGRESS_ALLOW_LOOPBACK: "true",
    // The suite signs in from 127.0.0.1 many times; e2e/api/sign-in.spec.ts runs one server at production values.
    REGCRED_PASSWORD_SCRYPT_LOG_N: "12",
    REGCRED_SIGNIN_ACCOUNT_ATTEMPTS: "1000",
    REGCRED_SIGNIN_CLIENT_ATTEMPTS: "10000",
  };
}

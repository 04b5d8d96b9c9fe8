import os from "node:os";
import path from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const ORG = "e2e-org";
export const ADMIN_EMAIL = "admin@e2e.test";
export const ADMIN_PASSWORD = "e2e-admin-password-123";
export const BOOTSTRAP_TOKEN = "e2e-bootstrap-token-0123456789abcdef";
export const RUN_DIR = process.env.E2E_RUN_DIR ?? path.join(os.tmpdir(), `regcred-e2e-${E2E_PORT}`);
export const SERVER_LOG = path.join(RUN_DIR, "server.log");
export const STORAGE_STATE = path.join(RUN_DIR, "admin-state.json");

import path from "node:path";
import { POSTGRES_RUN_DIR } from "./env";

/** What e2e/postgres.setup.ts started, for e2e/postgres.teardown.ts. */
export type PostgresServerState = { pid: number; database: string };
export const POSTGRES_STATE = path.join(POSTGRES_RUN_DIR, "server.json");

import "server-only";
import { registerInClusterIfPresent } from "./clusters/startup";
import { startController } from "./controller/runtime";
import { EnvError, env } from "./env";
import { log } from "./log";
import { runtime } from "./runtime";
import { checkSharedWebhookCa } from "./webhook/runtime";

/** Start-up: validate configuration, open the database, migrate and bootstrap; stop on bad configuration. */
export async function start(): Promise<void> {
  try {
    const e = env();
    checkSharedWebhookCa(e);
    const { database, keyring } = await runtime();
    await registerInClusterIfPresent(database.db, keyring, e.REGCRED_DEFAULT_ORG);
    if (e.NEXT_PHASE !== "phase-production-build") await startController(database.db, keyring);
    log.info("regcred started", {
      database: database.kind,
      dataDir: e.DATABASE_URL ? undefined : e.dataDir,
      org: e.REGCRED_DEFAULT_ORG,
    });
  } catch (err) {
    if (err instanceof EnvError) {
      process.stderr.write(`${err.message}\nRegcred did not start: fix the variables above.\n`);
      process.exit(1);
    }
    throw err;
  }
}

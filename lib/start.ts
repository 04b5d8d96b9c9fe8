import "server-only";
import { registerInClusterIfPresent } from "./clusters/startup";
import { startController, stopController } from "./controller/runtime";
import { EnvError, env } from "./env";
import { markStopping } from "./health";
import { describeError, log } from "./log";
import { closeRuntime, runtime } from "./runtime";
import { checkSharedWebhookCa } from "./webhook/runtime";

/** Start-up: validate configuration, open the database, migrate and bootstrap; stop on bad configuration. */
export async function start(): Promise<void> {
  try {
    const e = env();
    const serving = e.NEXT_PHASE !== "phase-production-build";
    if (serving) installShutdown();
    checkSharedWebhookCa(e);
    const { database, keyring } = await runtime();
    log.info("database open, migrations applied", { database: database.kind });
    await registerInClusterIfPresent(database.db, keyring, e.REGCRED_DEFAULT_ORG);
    if (serving) await startController(database.db, keyring);
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

const SIGNALS = ["SIGTERM", "SIGINT"] as const;

/**
 * SIGTERM/SIGINT under `next start`: Next's own handler (registered before instrumentation runs) stops accepting
 * connections, lets the requests in flight finish and then calls process.exit. Ours runs it and, beside it, makes
 * /api/ready answer 503, ends the controller's pass at a safe point and releases its Leases; the exit Next asks for
 * is held until that is done and the database (PGlite's files) is closed.
 */
function installShutdown(): void {
  let stopping = false;
  for (const signal of SIGNALS) {
    const theirs = process.listeners(signal);
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void shutdown(signal, theirs);
    });
  }
}

async function shutdown(signal: NodeJS.Signals, theirs: NodeJS.SignalsListener[]): Promise<void> {
  markStopping();
  log.info("regcred stopping", { signal });
  const exit = process.exit.bind(process);
  const drained = new Promise<number | undefined>((resolve) => {
    process.exit = ((code?: number) => resolve(code)) as typeof process.exit;
  });
  for (const listener of theirs) listener(signal);
  await stopController().catch((err: unknown) => log.error("controller stop failed", describeError(err)));
  const code = theirs.length > 0 ? await drained : 0;
  await closeRuntime().catch((err: unknown) => log.error("database close failed", describeError(err)));
  log.info("regcred stopped", { signal });
  exit(code);
}

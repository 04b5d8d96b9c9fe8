// The controller as its own process: `scripts/controller.sh` runs this file with tsx on Node 24 with
// `--conditions=react-server`. Replicas coordinate through one Lease per cluster.
import { startController, stopController } from "@/lib/controller/runtime";
import { EnvError, env } from "@/lib/env";
import { describeError, log } from "@/lib/log";
import { startOpsServer } from "@/lib/ops-server";
import { runtime } from "@/lib/runtime";
import { checkSharedWebhookCa } from "@/lib/webhook/runtime";

// Replicas starting together race on migrations and first-start set-up; the loser retries.
async function openRuntime(): ReturnType<typeof runtime> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runtime();
    } catch (err) {
      if (err instanceof EnvError || attempt >= 5) throw err;
      log.warn("start-up failed; retrying", { attempt, ...describeError(err) });
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 1500));
    }
  }
}

async function main(): Promise<void> {
  let config;
  try {
    config = env();
    checkSharedWebhookCa(config);
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    process.stderr.write(`${err.message}\nThe controller did not start: fix the variables above.\n`);
    process.exit(1);
  }
  if (!config.DATABASE_URL) {
    process.stderr.write(
      "The controller process needs DATABASE_URL (PostgreSQL): PGlite serves one process only. Without it, run the controller inside the dashboard (REGCRED_CONTROLLER=inprocess).\n",
    );
    process.exit(1);
  }
  const opened = await openRuntime().catch((err: unknown) => {
    if (!(err instanceof EnvError)) throw err;
    process.stderr.write(`${err.message}\nThe controller did not start.\n`);
    process.exit(1);
  });
  const { database, keyring } = opened;
  await startController(database.db, keyring, { force: true });
  const port = config.REGCRED_CONTROLLER_HTTP_PORT;
  const ops = port === undefined ? null : await startOpsServer(port);
  // The controller's own timers are unref'd; this keeps the process alive until a signal.
  const keepAlive = setInterval(() => {}, 1 << 30);
  let stopping = false;
  // SIGTERM: the webhook stops accepting requests, each cluster's pass ends before its next write, the Leases are
  // released (another replica takes over at once) and the database closes.
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("controller stopping", { signal });
    clearInterval(keepAlive);
    let code = 0;
    await ops?.close();
    await stopController().catch((err: unknown) => {
      code = 1;
      log.error("controller stop failed", describeError(err));
    });
    await database.close().catch((err: unknown) => {
      code = 1;
      log.error("database close failed", describeError(err));
    });
    log.info("controller stopped", { signal });
    process.exit(code);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  log.error("controller crashed", describeError(err));
  process.exit(1);
});

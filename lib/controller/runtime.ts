import "server-only";
import type { Db } from "@/db/client";
import type { Keyring } from "@/lib/crypto/secret-box";
import { type Env, env } from "@/lib/env";
import { log } from "@/lib/log";
import { Controller, type ControllerOptions, defaultInstanceId } from "./controller";
import { scheduleRepositoryChecks } from "@/lib/readiness/recheck";
import { setControllerSignals } from "@/lib/sync/signal";
import { reconcileWebhookRegistration, startWebhookRuntime, stopWebhookRuntime } from "@/lib/webhook";

// On globalThis so every bundle layer of the Next.js server sees the one in-process controller.
const key = Symbol.for("regcred.controller");
type Holder = { [key]?: Controller };

export function controllerOptions(db: Db, keyring: Keyring, e: Env = env()): ControllerOptions {
  return {
    db,
    keyring,
    instanceId: e.REGCRED_INSTANCE_ID ?? defaultInstanceId(),
    resyncMs: e.REGCRED_RESYNC_SECONDS * 1000,
    gracePeriodMs: e.REGCRED_UNUSED_GRACE_SECONDS * 1000,
    leaseDurationMs: e.REGCRED_LEASE_SECONDS * 1000,
    timeoutMs: e.REGCRED_CHECK_TIMEOUT_MS,
    ecrEndpoint: e.REGCRED_ECR_ENDPOINT ?? e.AWS_ENDPOINT_URL_ECR,
    // Stale or new repositories of the cluster's workloads, checked in the background (throttled per cluster).
    onNamespacePass: (cluster, pass) =>
      void scheduleRepositoryChecks({ db, keyring, orgId: cluster.orgId }, cluster, pass),
    onPass: async (cluster, pass) => {
      void scheduleRepositoryChecks({ db, keyring, orgId: cluster.orgId }, cluster, pass);
      // Registers or removes the cluster's MutatingWebhookConfiguration as its wiring mode says (re-checked every 5 min).
      await reconcileWebhookRegistration(db, keyring, cluster);
    },
  };
}

/** Starts the controller inside this process (once); returns it, or null when REGCRED_CONTROLLER=off. */
export async function startController(
  db: Db,
  keyring: Keyring,
  opts: { force?: boolean; overrides?: Partial<ControllerOptions> } = {},
): Promise<Controller | null> {
  const e = env();
  if (e.REGCRED_CONTROLLER === "off" && !opts.force) {
    log.info("controller disabled (REGCRED_CONTROLLER=off)");
    return null;
  }
  const holder = globalThis as Holder;
  if (holder[key]) return holder[key];
  const controller = new Controller({ ...controllerOptions(db, keyring, e), ...opts.overrides });
  holder[key] = controller;
  setControllerSignals({
    cluster: (clusterId, trigger) => controller.kick(clusterId, trigger),
    org: (orgId, trigger) => controller.kickOrg(orgId, trigger),
    contents: (clusterId) => controller.manager(clusterId)?.clusterCache()?.contents() ?? null,
  });
  await controller.start();
  // Every replica serves the admission webhook; only lease holders register it.
  await startWebhookRuntime(db, keyring);
  log.info("controller started", {
    instance: controller.instanceId,
    resyncSeconds: e.REGCRED_RESYNC_SECONDS,
    leaseSeconds: e.REGCRED_LEASE_SECONDS,
  });
  return controller;
}

export async function stopController(): Promise<void> {
  const holder = globalThis as Holder;
  const controller = holder[key];
  holder[key] = undefined;
  setControllerSignals(null);
  await controller?.stop();
  await stopWebhookRuntime();
}

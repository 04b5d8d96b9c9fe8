import "server-only";
import path from "node:path";
import type { Db } from "@/db/client";
import type { ClusterRow } from "@/lib/clusters/repo";
import type { Keyring } from "@/lib/crypto/secret-box";
import { EnvError, type Env, env } from "@/lib/env";
import { ensureInstallation } from "@/lib/installation/repo";
import { describeError, log } from "@/lib/log";
import { findClusterSync } from "@/lib/sync/repo";
import type { WebhookEndpoint } from "./configuration";
import { loadWebhookPki } from "@/lib/crypto/pki";
import { loadSharedCa, WebhookCaError } from "@/lib/crypto/shared-ca";
import { type RegistrationOptions, syncWebhookRegistration } from "./registration";
import { certificateHosts, startWebhookServer, type WebhookServer } from "./server";
import { type WebhookSettings, webhookSettingsFromEnv } from "./settings";

// On globalThis so every bundle layer of the Next.js server shares the one listener.
const key = Symbol.for("regcred.webhook");
type State = { server: Promise<WebhookServer | null> | null; applied: Map<string, { key: string; at: number }> };
function state(): State {
  const g = globalThis as { [key]?: State };
  g[key] ??= { server: null, applied: new Map() };
  return g[key];
}

/** A registration that succeeded is re-checked at most this often (someone may have deleted it). */
const RECHECK_MS = 5 * 60_000;

export type WebhookRuntimeOptions = {
  settings?: WebhookSettings;
  dataDir?: string;
  /** Defaults to REGCRED_WEBHOOK_CA_DIR. */
  caDir?: string;
  ecrEndpoint?: string;
};

const caDirOf = (opts: WebhookRuntimeOptions) => opts.caDir ?? env().webhookCaDir;

/** Start-up check: REGCRED_WEBHOOK_CA_DIR, when set, holds a usable CA; otherwise an EnvError that names it. */
export function checkSharedWebhookCa(e: Env = env()): void {
  if (!e.webhookCaDir) return;
  try {
    loadSharedCa(e.webhookCaDir);
  } catch (err) {
    if (err instanceof WebhookCaError) throw new EnvError(err.message);
    throw err;
  }
}

/**
 * Starts this process's webhook server once (REGCRED_WEBHOOK_PORT/HOST/URL; the CA of REGCRED_WEBHOOK_CA_DIR, else
 * its own in REGCRED_DATA_DIR/webhook).
 * Never throws: a port that cannot be bound is logged and gives null (pods are then admitted unchanged).
 */
export function startWebhookRuntime(
  db: Db,
  keyring: Keyring,
  opts: WebhookRuntimeOptions = {},
): Promise<WebhookServer | null> {
  const s = state();
  s.server ??= (async () => {
    try {
      const e = env();
      const settings = opts.settings ?? webhookSettingsFromEnv();
      return await startWebhookServer({
        db,
        keyring,
        settings,
        dataDir: opts.dataDir ?? e.dataDir,
        caDir: caDirOf(opts),
        ecrEndpoint: opts.ecrEndpoint ?? e.REGCRED_ECR_ENDPOINT ?? e.AWS_ENDPOINT_URL_ECR,
      });
    } catch (err) {
      log.error(
        "webhook: server not started; pods in webhook-mode clusters are admitted without pull secrets",
        describeError(err),
      );
      return null;
    }
  })();
  return s.server;
}

export async function stopWebhookRuntime(): Promise<void> {
  const s = state();
  const server = await s.server;
  s.server = null;
  s.applied.clear();
  await server?.close();
}

/** What the API server should call: this process's server when it runs, else REGCRED_WEBHOOK_URL and the CA (shared, or in the data dir). */
export async function webhookEndpoint(opts: WebhookRuntimeOptions = {}): Promise<WebhookEndpoint> {
  const running = await state().server;
  if (running) return running.endpoint;
  const settings = opts.settings ?? webhookSettingsFromEnv();
  const pki = loadWebhookPki(path.join(opts.dataDir ?? env().dataDir, "webhook"), certificateHosts(settings), {
    caDir: caDirOf(opts),
  });
  return { url: settings.url, caPem: pki.caPem };
}

/**
 * The per-cluster hook: registers the cluster's MutatingWebhookConfiguration when its wiring is `webhook` and
 * removes it otherwise. Cheap to call on every pass (unchanged outcomes are re-checked every 5 minutes); never throws.
 */
export async function reconcileWebhookRegistration(
  db: Db,
  keyring: Keyring,
  cluster: ClusterRow,
  opts: WebhookRuntimeOptions & RegistrationOptions & { endpoint?: WebhookEndpoint } = {},
): Promise<void> {
  try {
    const wiring = (await findClusterSync(db, cluster.id))?.wiring ?? "serviceaccount";
    const endpoint = wiring === "webhook" ? (opts.endpoint ?? (await webhookEndpoint(opts))) : { url: "", caPem: "" };
    const applied = state().applied;
    const fingerprint = JSON.stringify([wiring, endpoint, cluster.updatedAt.getTime()]);
    const last = applied.get(cluster.id);
    if (last?.key === fingerprint && Date.now() - last.at < RECHECK_MS) return;
    const result = await syncWebhookRegistration(
      keyring,
      cluster,
      wiring,
      endpoint,
      await ensureInstallation(db),
      opts,
    );
    if (result.ok) {
      applied.set(cluster.id, { key: fingerprint, at: Date.now() });
      if (result.value !== "unchanged" && result.value !== "absent")
        log.info(`webhook: configuration ${result.value}`, { cluster: cluster.id, wiring });
    } else {
      applied.delete(cluster.id);
      log.warn("webhook: registration failed", {
        cluster: cluster.id,
        wiring,
        error: result.error.kind,
        message: result.error.message,
      });
    }
  } catch (err) {
    log.error("webhook: registration failed", { cluster: cluster.id, ...describeError(err) });
  }
}

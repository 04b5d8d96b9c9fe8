import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Db } from "@/db/client";
import { clientForCluster } from "@/lib/clusters/client";
import type { ClusterRow } from "@/lib/clusters/repo";
import type { Keyring } from "@/lib/crypto/secret-box";
import type { KubeClient } from "@/lib/integrations/kube";
import { env } from "@/lib/env";
import { parseJsonOrNull } from "@/lib/json";
import { describeError, log } from "@/lib/log";
import { consumePoint } from "@/lib/rate-limit";
import { type AdmitDeps, type AdmitResult, admitPod } from "./admit";
import { authenticateCaller, type CallerCredentials } from "./caller-auth";
import { findWebhookTarget } from "./repo";
import type { WebhookEndpoint } from "./configuration";
import { loadWebhookPki } from "@/lib/crypto/pki";
import { admissionResponse, parseAdmissionReview } from "./review";
import type { WebhookSettings } from "./settings";

/** Leaves 2 s of the API server's 10 s timeout for the network and the API server itself. */
export const DEFAULT_BUDGET_MS = 8_000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const RENEW_CHECK_MS = 12 * 3_600_000;

export type ReviewEvent = {
  clusterId: string;
  uid: string;
  namespace: string;
  dryRun: boolean;
  outcome: AdmitResult["outcome"] | "error";
  patched: boolean;
  ms: number;
};

export type WebhookServerOptions = {
  db: Db;
  keyring: Keyring;
  /** REGCRED_DATA_DIR: the serving certificate (and the CA, unless `caDir` is given) live in <dataDir>/webhook. */
  dataDir: string;
  /** REGCRED_WEBHOOK_CA_DIR: the CA shared by every replica (tls.crt, tls.key); read, never written. */
  caDir?: string;
  settings: WebhookSettings;
  budgetMs?: number;
  ecrEndpoint?: string;
  now?: () => Date;
  /** Defaults to clientForCluster, one client per cluster version. */
  clientFor?: (cluster: ClusterRow) => KubeClient;
  onReview?: (event: ReviewEvent) => void;
  /** Reviews answered per second per cluster (REGCRED_WEBHOOK_RATE_PER_SECOND); beyond it the Pod is admitted unchanged. */
  ratePerSecond?: number;
};

export type WebhookServer = {
  /** Base URL for the MutatingWebhookConfiguration and the current CA bundle: what registerWebhook needs. */
  readonly endpoint: WebhookEndpoint;
  port: number;
  close: () => Promise<void>;
};

function cachedClients(keyring: Keyring, timeoutMs: number): (cluster: ClusterRow) => KubeClient {
  const cache = new Map<string, { stamp: number; client: KubeClient }>();
  return (cluster) => {
    const hit = cache.get(cluster.id);
    if (hit && hit.stamp === cluster.updatedAt.getTime()) return hit.client;
    const client = clientForCluster(keyring, cluster, { timeoutMs });
    cache.set(cluster.id, { stamp: cluster.updatedAt.getTime(), client });
    return client;
  };
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

const RATE_LIMITED_WARNING =
  "regcred: the webhook is rate limited for this cluster; imagePullSecrets were not added to this Pod";

function credentialsOf(req: IncomingMessage): CallerCredentials {
  const auth = req.headers.authorization ?? "";
  const bearer = /^Bearer ([!-~]+)$/.exec(auth)?.[1] ?? null;
  const certificate = (req.socket as TLSSocket).getPeerX509Certificate?.() ?? null;
  return { bearer, certificate };
}

type Context = {
  deps: AdmitDeps;
  limiter: RateLimiterMemory;
  refusedLog: RateLimiterMemory;
  onReview?: (e: ReviewEvent) => void;
};

async function withinRate(limiter: RateLimiterMemory, clusterId: string): Promise<boolean> {
  return (await consumePoint(limiter, clusterId)) === null;
}

async function review(c: Context, clusterId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const target = await findWebhookTarget(c.deps.db, clusterId);
  const decision = target
    ? authenticateCaller(c.deps.keyring, { ...target.sync, clusterId }, credentialsOf(req), c.deps.now())
    : null;
  if (!target || !decision?.ok) {
    // Refused before the body is read: nothing of an unauthenticated request is parsed, logged or acted on.
    // At most 10 such lines per cluster per minute, so a flood of forged reviews cannot flood the log.
    if (await withinRate(c.refusedLog, target ? clusterId : "unknown"))
      log.warn("webhook: review refused: caller not authenticated", {
        cluster: target ? clusterId : "unknown",
        mode: target?.sync.webhookAuth,
        reason: decision && !decision.ok ? decision.reason : "unknown cluster",
      });
    req.resume();
    return sendJson(res, 401, {
      error: "UNAUTHENTICATED",
      message: "the caller is not authenticated as this cluster's API server",
    });
  }
  const text = await readBody(req);
  if (text === null)
    return sendJson(res, 413, { error: "PAYLOAD_TOO_LARGE", message: "the AdmissionReview is too large" });
  const parsed = parseAdmissionReview(parseJsonOrNull(text));
  if (!parsed.ok) return sendJson(res, 400, { error: "BAD_REQUEST", message: parsed.reason });
  const { request } = parsed;
  let result: AdmitResult | null = null;
  if (!(await withinRate(c.limiter, clusterId))) {
    result = { ops: [], warnings: [RATE_LIMITED_WARNING], outcome: "rate-limited" };
  } else {
    try {
      result = await admitPod(c.deps, { ...target, trust: decision.trust }, request);
    } catch (err) {
      log.error("webhook: admission failed; the pod is admitted unchanged", {
        cluster: clusterId,
        namespace: request.namespace,
        ...describeError(err),
      });
    }
  }
  sendJson(res, 200, admissionResponse(request.uid, result?.ops, result?.warnings));
  const event: ReviewEvent = {
    clusterId,
    uid: request.uid,
    namespace: request.namespace,
    dryRun: request.dryRun,
    outcome: result?.outcome ?? "error",
    patched: (result?.ops.length ?? 0) > 0,
    ms: Date.now() - started,
  };
  log.debug("webhook: pod reviewed", event);
  c.onReview?.(event);
}

function handler(c: Context) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "https://webhook.invalid");
    if (req.method === "GET" && url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
    const match = /^\/mutate\/([^/]+)$/.exec(url.pathname);
    if (!match) return sendJson(res, 404, { error: "NOT_FOUND", message: "POST /mutate/<cluster id>" });
    if (req.method !== "POST")
      return sendJson(res, 405, { error: "METHOD_NOT_ALLOWED", message: "POST /mutate/<cluster id>" });
    review(c, decodeURIComponent(match[1]!), req, res).catch((err: unknown) => {
      log.error("webhook: request failed", describeError(err));
      if (!res.headersSent) sendJson(res, 500, { error: "INTERNAL", message: "internal error" });
    });
  };
}

/** The serving certificate's names: loopback, REGCRED_WEBHOOK_HOST and the host of REGCRED_WEBHOOK_URL. */
export function certificateHosts(settings: WebhookSettings): string[] {
  const urlHost = new URL(settings.url).hostname.replace(/^\[|\]$/g, "");
  return [...new Set(["127.0.0.1", "localhost", settings.host, urlHost])];
}

/**
 * Starts the admission webhook: HTTPS (the shared CA of `caDir`, else its own kept in <dataDir>/webhook) on settings.bindAddress:port, handling
 * POST /mutate/<clusterId>. Every answer allows the pod; a failure only means no patch.
 */
export async function startWebhookServer(opts: WebhookServerOptions): Promise<WebhookServer> {
  const dir = path.join(opts.dataDir, "webhook");
  const hosts = certificateHosts(opts.settings);
  const load = () => loadWebhookPki(dir, hosts, { caDir: opts.caDir });
  let pki = load();
  const budgetMs = opts.budgetMs ?? DEFAULT_BUDGET_MS;
  const deps: AdmitDeps = {
    db: opts.db,
    keyring: opts.keyring,
    now: opts.now ?? (() => new Date()),
    budgetMs,
    ecrEndpoint: opts.ecrEndpoint,
    clientFor: opts.clientFor ?? cachedClients(opts.keyring, budgetMs),
  };
  const limiter = new RateLimiterMemory({
    points: opts.ratePerSecond ?? env().REGCRED_WEBHOOK_RATE_PER_SECOND,
    duration: 1,
  });
  // A client certificate is asked for but not required by TLS: each cluster's mode decides, per request (caller-auth.ts).
  const tls = {
    key: pki.keyPem,
    cert: pki.certPem,
    minVersion: "TLSv1.2" as const,
    requestCert: true,
    rejectUnauthorized: false,
  };
  const server = https.createServer(
    tls,
    handler({
      deps,
      limiter,
      refusedLog: new RateLimiterMemory({ points: 10, duration: 60 }),
      onReview: opts.onReview,
    }),
  );
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.settings.port, opts.settings.bindAddress, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const renew = setInterval(() => {
    try {
      const next = load();
      if (next.certPem !== pki.certPem) server.setSecureContext({ key: next.keyPem, cert: next.certPem });
      pki = next;
    } catch (err) {
      log.error("webhook: serving certificate renewal failed", describeError(err));
    }
  }, RENEW_CHECK_MS);
  renew.unref();
  const port = (server.address() as AddressInfo).port;
  const url = opts.settings.port === 0 ? opts.settings.url.replace(/:0$/, `:${port}`) : opts.settings.url;
  log.info("webhook listening", { address: opts.settings.bindAddress, port, url });
  return {
    get endpoint() {
      return { url, caPem: pki.caPem };
    },
    port,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(renew);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

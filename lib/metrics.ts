import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { SyncRunSummary } from "@/db/schema/sync";
import { env } from "./env";
import { AppError } from "./errors";
import { requestCall } from "./integrations/kube/calls";
import type { KubeRequestInfo } from "./integrations/kube/types";

/** What the gauges read from this process's controller when it runs here (registered by lib/controller). */
export type ManagerGauges = {
  clusterId: string;
  leading: boolean;
  queued: number;
  /** This installation's secrets for the cluster's org (watch-fed cache); per registry the earliest expiry (ms). */
  managed: { count: number; expiry: ReadonlyMap<string, number> } | null;
};

type Metrics = {
  registry: Registry;
  passes: Counter<"cluster" | "trigger" | "outcome">;
  passSeconds: Histogram<"outcome">;
  secretWrites: Counter<"cluster" | "operation">;
  wiringPatches: Counter<"cluster" | "kind">;
  conflicts: Counter<"cluster">;
  mints: Counter<"cluster">;
  kubeRequests: Counter<"cluster" | "verb" | "resource">;
  informerLists: Counter<"kind">;
  watchRestarts: Counter<"kind" | "error">;
  httpSeconds: Histogram<"route" | "method" | "status">;
};

// On globalThis so every bundle layer of the Next.js server counts into the one registry.
const key = Symbol.for("regcred.metrics");
const controllerKey = Symbol.for("regcred.controller");
type Holder = { [key]?: Metrics; [controllerKey]?: { managersOf(): Array<{ metricsGauges(): ManagerGauges }> } };

function managers(): ManagerGauges[] {
  return (globalThis as Holder)[controllerKey]?.managersOf().map((m) => m.metricsGauges()) ?? [];
}

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new Gauge({
    name: "regcred_leader",
    help: "1 while this process holds the cluster's lease (runs its passes), else 0.",
    labelNames: ["cluster"],
    registers,
    collect() {
      this.reset();
      for (const m of managers()) this.set({ cluster: m.clusterId }, m.leading ? 1 : 0);
    },
  });
  new Gauge({
    name: "regcred_namespaces_queued",
    help: "Namespaces waiting in the cluster's work queue for a pass.",
    labelNames: ["cluster"],
    registers,
    collect() {
      this.reset();
      for (const m of managers()) this.set({ cluster: m.clusterId }, m.queued);
    },
  });
  new Gauge({
    name: "regcred_managed_secrets",
    help: "Pull secrets this installation wrote in the cluster for the cluster's org, from the watch-fed cache.",
    labelNames: ["cluster"],
    registers,
    collect() {
      this.reset();
      for (const m of managers()) if (m.managed) this.set({ cluster: m.clusterId }, m.managed.count);
    },
  });
  new Gauge({
    name: "regcred_registry_credential_expiry_timestamp_seconds",
    help: "When the registry's credential in the cluster expires: the earliest expiry label among its secrets there.",
    labelNames: ["cluster", "registry"],
    registers,
    collect() {
      this.reset();
      for (const m of managers())
        for (const [registry, ms] of m.managed?.expiry ?? []) this.set({ cluster: m.clusterId, registry }, ms / 1000);
    },
  });
  return {
    registry,
    httpSeconds: new Histogram({
      name: "regcred_http_request_duration_seconds",
      help: "REST API requests by route (parameters as [name]), method and status.",
      labelNames: ["route", "method", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    passes: new Counter({
      name: "regcred_sync_passes_total",
      help: "Controller passes by trigger and outcome (succeeded, partial, failed, error).",
      labelNames: ["cluster", "trigger", "outcome"],
      registers,
    }),
    passSeconds: new Histogram({
      name: "regcred_sync_pass_duration_seconds",
      help: "How long a controller pass took.",
      labelNames: ["outcome"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    }),
    secretWrites: new Counter({
      name: "regcred_secret_writes_total",
      help: "Pull secrets written by passes: created, updated, deleted, marked_unused.",
      labelNames: ["cluster", "operation"],
      registers,
    }),
    wiringPatches: new Counter({
      name: "regcred_wiring_patches_total",
      help: "imagePullSecrets patches of ServiceAccounts and workload templates.",
      labelNames: ["cluster", "kind"],
      registers,
    }),
    conflicts: new Counter({
      name: "regcred_sync_conflicts_total",
      help: "Secrets a pass left alone because another owner holds the name.",
      labelNames: ["cluster"],
      registers,
    }),
    mints: new Counter({
      name: "regcred_ecr_mints_total",
      help: "ECR GetAuthorizationToken calls made by passes (cached tokens not counted).",
      labelNames: ["cluster"],
      registers,
    }),
    kubeRequests: new Counter({
      name: "regcred_kube_requests_total",
      help: "Requests sent to Kubernetes API servers, by RBAC verb and resource (watches included).",
      labelNames: ["cluster", "verb", "resource"],
      registers,
    }),
    informerLists: new Counter({
      name: "regcred_informer_lists_total",
      help: "Full LISTs made by the watch-fed caches: one per informer at start, one more per re-list (410 Gone).",
      labelNames: ["kind"],
      registers,
    }),
    watchRestarts: new Counter({
      name: "regcred_watch_restarts_total",
      help: "Watches or LISTs of the watch-fed caches that failed and are retried, by kind and error kind.",
      labelNames: ["kind", "error"],
      registers,
    }),
  };
}

function metrics(): Metrics {
  const holder = globalThis as Holder;
  return (holder[key] ??= create());
}

/** A controller pass finished (`outcome`: its status, or `error` when it threw). */
export function recordPass(
  cluster: string,
  trigger: string,
  outcome: string,
  seconds: number,
  summary?: SyncRunSummary,
): void {
  const m = metrics();
  m.passes.inc({ cluster, trigger, outcome });
  m.passSeconds.observe({ outcome }, seconds);
  if (!summary) return;
  const ops = { created: summary.created, updated: summary.updated, deleted: summary.deleted };
  for (const [operation, n] of Object.entries({ ...ops, marked_unused: summary.markedUnused }))
    if (n > 0) m.secretWrites.inc({ cluster, operation }, n);
  if (summary.serviceAccounts > 0) m.wiringPatches.inc({ cluster, kind: "ServiceAccount" }, summary.serviceAccounts);
  if (summary.workloads > 0) m.wiringPatches.inc({ cluster, kind: "workload" }, summary.workloads);
  if (summary.conflicts > 0) m.conflicts.inc({ cluster }, summary.conflicts);
  if (summary.mints > 0) m.mints.inc({ cluster }, summary.mints);
}

/** An onRequest hook for a cluster's client: counts the request by verb and resource (never the URL's names). */
export function kubeRequestCounter(cluster: string): (info: KubeRequestInfo) => void {
  return (info) => {
    const call = requestCall(info.method, info.url);
    const labels = call ? { verb: call.verb, resource: call.resource } : { verb: "get", resource: "non-resource" };
    metrics().kubeRequests.inc({ cluster, ...labels });
  };
}

export function recordHttpRequest(route: string, method: string, status: number, seconds: number): void {
  metrics().httpSeconds.observe({ route, method, status: String(status) }, seconds);
}

export function recordInformerList(kind: string): void {
  metrics().informerLists.inc({ kind });
}

export function recordWatchRestart(kind: string, error: string): void {
  metrics().watchRestarts.inc({ kind, error });
}

/** The Prometheus text exposition of every metric, and its content type. */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * Whether an Authorization header carries the metrics token (compared in constant time). Metrics span every org of
 * the installation, so no org's API token may read them: only the operator's scrape token.
 */
function metricsAuthorized(authorization: string | null, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}

/**
 * What a scrape gets, on the dashboard's /api/metrics and the controller's /metrics alike: the Prometheus text, or
 * NOT_FOUND while REGCRED_METRICS_TOKEN is unset, or UNAUTHENTICATED without that token.
 */
export async function scrapeMetrics(
  authorization: string | null,
): Promise<{ body: string; contentType: string } | { error: AppError }> {
  const token = env().REGCRED_METRICS_TOKEN;
  if (!token) return { error: new AppError("NOT_FOUND", "Metrics are off; set REGCRED_METRICS_TOKEN to serve them.") };
  if (!metricsAuthorized(authorization, token))
    return { error: new AppError("UNAUTHENTICATED", "Metrics need the metrics token as a bearer token.") };
  return renderMetrics();
}

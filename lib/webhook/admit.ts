import "server-only";
import type { Db } from "@/db/client";
import { type ClusterRow, scopeOf } from "@/lib/clusters/repo";
import type { Keyring } from "@/lib/crypto/secret-box";
import { parseImageReference } from "@/lib/images/reference";
import { resolveRegistry } from "@/lib/images/matching";
import type { KubeClient } from "@/lib/integrations/kube";
import { ensureInstallation } from "@/lib/installation/repo";
import { describeError, log } from "@/lib/log";
import { listRegistryRows, type RegistryRow } from "@/lib/registries/repo";
import type { Pod } from "@/lib/integrations/kube/workloads";
import { extractWorkloadImages, type WorkloadImages } from "@/lib/sync/workload-images";
import { secretNameFor } from "@/lib/sync/labels";
import type { ClusterSyncRow } from "@/lib/sync/repo";
import { ensurePullSecrets, type EnsureOutcome } from "./ensure";
import { knownSecretsIn } from "./repo";
import { type JsonPatchOp, type PodAdmission, pullSecretPatch } from "./review";

export type AdmitDeps = {
  db: Db;
  keyring: Keyring;
  now: () => Date;
  /** Time to answer in; the API server gives up after the webhook's timeoutSeconds (10 s). */
  budgetMs: number;
  ecrEndpoint?: string;
  clientFor: (cluster: ClusterRow) => KubeClient;
};

export type AdmitResult = {
  ops: JsonPatchOp[];
  warnings: string[];
  /** Why nothing was added, or how ensuring the secrets went. */
  outcome:
    | "not-a-pod-create"
    | "unknown-cluster"
    | "unauthenticated"
    | "rate-limited"
    | "not-webhook-mode"
    | "no-matching-registry"
    | "timeout"
    | EnsureOutcome["outcome"];
};

/** The cluster a review is for, as stored; the caller was authenticated against `sync`. */
export type AdmitTarget = { cluster: ClusterRow; sync: ClusterSyncRow; trust: "trusted" | "untrusted" };

type Plan = {
  cluster: ClusterRow;
  environmentLabel: string | null;
  pod: WorkloadImages;
  needed: RegistryRow[];
  rows: RegistryRow[];
};

async function planPod(db: Db, target: AdmitTarget, pod: Pod): Promise<Plan | AdmitResult["outcome"]> {
  const { cluster, sync } = target;
  if (sync.wiring !== "webhook") return "not-webhook-mode";
  const rows = await listRegistryRows(db, cluster.orgId);
  const images = extractWorkloadImages(pod);
  const needed = new Map<string, RegistryRow>();
  for (const image of images.images) {
    const parsed = parseImageReference(image);
    const hit = parsed.ok ? resolveRegistry(rows, parsed.value) : null;
    if (hit && hit.type !== "public") needed.set(hit.id, hit);
  }
  if (needed.size === 0) return "no-matching-registry";
  return { cluster, environmentLabel: sync.environmentLabel, pod: images, needed: [...needed.values()], rows };
}

type Raced<T> = { done: true; value: T } | { done: false };

function withDeadline<T>(work: Promise<T>, ms: number): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Raced<T>>(
    (resolve) => (timer = setTimeout(() => resolve({ done: false }), Math.max(0, ms))),
  );
  return Promise.race([work.then((value) => ({ done: true as const, value })), late]).finally(() =>
    clearTimeout(timer),
  );
}

/**
 * Decides a Pod CREATE: the `regcred-<id>` references its images need, after making sure those secrets exist
 * (unless dry-run). If ensuring outlasts the budget the answer still carries the patch (a reference whose
 * secret arrives a moment later is picked up by the kubelet's next pull attempt, and the controller's next
 * pass creates any secret still missing); the unfinished writes go on in the background.
 */
export async function admitPod(deps: AdmitDeps, target: AdmitTarget, request: PodAdmission): Promise<AdmitResult> {
  const started = Date.now();
  const clusterId = target.cluster.id;
  if (!request.pod || request.operation !== "CREATE") return { ops: [], warnings: [], outcome: "not-a-pod-create" };
  const pod = request.pod;
  const planned = await withDeadline(planPod(deps.db, target, pod), deps.budgetMs);
  if (!planned.done) return { ops: [], warnings: [], outcome: "timeout" };
  if (typeof planned.value === "string") return { ops: [], warnings: [], outcome: planned.value };
  const plan = planned.value;
  const names = plan.needed.map((r) => secretNameFor(r.id));
  // Mode none: anyone may have sent this review, so only secrets the controller itself found in use there may be written.
  const writable = target.trust === "trusted" ? "all" : await knownSecretsIn(deps.db, clusterId, request.namespace);
  const owner = { installation: await ensureInstallation(deps.db), org: plan.cluster.orgId };
  const ensuring = ensurePullSecrets(
    {
      keyring: deps.keyring,
      client: deps.clientFor(plan.cluster),
      now: deps.now,
      timeoutMs: deps.budgetMs,
      ecrEndpoint: deps.ecrEndpoint,
    },
    {
      cluster: plan.cluster,
      scope: scopeOf(plan.cluster),
      environmentLabel: plan.environmentLabel,
      namespace: request.namespace,
      pod: plan.pod,
      rows: plan.rows,
      needed: plan.needed,
      dryRun: request.dryRun,
      writable,
      owner,
    },
  );
  const ensured = await withDeadline(ensuring, deps.budgetMs - (Date.now() - started));
  if (!ensured.done) {
    ensuring.catch((err: unknown) =>
      log.error("webhook: ensuring pull secrets failed", {
        cluster: clusterId,
        namespace: request.namespace,
        ...describeError(err),
      }),
    );
    return { ops: pullSecretPatch(pod.spec, names).ops, warnings: [], outcome: "timeout" };
  }
  const { ops } = pullSecretPatch(pod.spec, ensured.value.reference);
  return { ops, warnings: ensured.value.warnings, outcome: ensured.value.outcome };
}

import "server-only";
import type { Db } from "@/db/client";
import type { SyncRunSummary } from "@/db/schema/sync";
import type { ClusterRow } from "@/lib/clusters/repo";
import { scopeOf } from "@/lib/clusters/repo";
import type { Keyring } from "@/lib/crypto/secret-box";
import type { KubeClient, KubeSecret } from "@/lib/integrations/kube";
import { listRegistryRows, type RegistryRow } from "@/lib/registries/repo";
import { computeDesiredState, type DesiredState, type DesiredStateInput } from "@/lib/sync/desired";
import { ensureInstallation } from "@/lib/installation/repo";
import * as L from "@/lib/sync/labels";
import type { Owner } from "@/lib/sync/ownership";
import { planSecretSync, type SyncPlan } from "@/lib/sync/plan";
import { plannedWiringMode } from "@/lib/sync/wiring-modes";
import { type ApplyContext, applyNamespace, groupByNamespace, LeadershipLost } from "./apply";
import { resolveCredentials } from "./credentials";
import { type ClusterReader, type ClusterState, listingReader } from "./observe";
import { auditAdoptions, type Ownership, secretNamer } from "./ownership";
import * as repo from "@/lib/sync/repo";
import { type AppliedNamespace, namespaceResults, removalsOnly, summarize } from "./results";
import { handleStuckPods } from "./stuck-pods";

export type ReconcileDeps = {
  db: Db;
  keyring: Keyring;
  client: KubeClient;
  now: () => Date;
  gracePeriodMs: number;
  timeoutMs: number;
  ecrEndpoint?: string;
  instanceId: string;
  /** Checked before every write (false once the lease is lost). */
  mayWrite?: () => boolean;
  onWrite?: ApplyContext["onWrite"];
  /** Namespaces written in parallel. */
  concurrency?: number;
  /** Where the cluster is read: the manager's watch-fed cache; without one, LISTs for this pass. */
  reader?: ClusterReader;
};
export type ReconcileOptions = {
  trigger: repo.SyncTrigger;
  runIds?: string[];
  requestedBy?: string | null;
  /** Only these namespaces (a watch event touched them); the rest of the cluster is left as it is. */
  only?: ReadonlySet<string>;
};
export type ExpiringCredential = { registryId: string; expiresAt: Date };
export type ReconcileResult = {
  runId: string;
  status: repo.RunStatus;
  error: string | null;
  /** The cluster could not be read (nothing was planned or written). */
  unreachable: boolean;
  summary: SyncRunSummary;
  namespaces: repo.NamespaceResultRow[];
  expiring: ExpiringCredential[];
  unavailable: Array<{ registryId: string; reason: string }>;
  /** secret_ref sources read in this cluster (`namespace/name`), to watch. */
  sources: string[];
  /** A write hit a conflict: run again soon. */
  retry: boolean;
  /** What the pass read (absent when the cluster could not be read). */
  observed?: ClusterState;
};

const EMPTY_SUMMARY: SyncRunSummary = {
  created: 0,
  updated: 0,
  deleted: 0,
  markedUnused: 0,
  serviceAccounts: 0,
  workloads: 0,
  conflicts: 0,
  errors: 0,
  warnings: 0,
  mints: 0,
};
const PROGRESS_EVERY_MS = 500;

// Only tombstoned ids are deleted at once; other unknown registry labels take the unused grace period.
function deletedRegistryIds(rows: readonly RegistryRow[], tombstones: readonly string[]): string[] {
  const current = new Set(rows.map((r) => r.id));
  return tombstones.filter((id) => !current.has(id)).sort();
}

async function desiredFor(
  deps: ReconcileDeps,
  reader: ClusterReader,
  cluster: ClusterRow,
  state: ClusterState,
  rows: RegistryRow[],
  environmentLabel: string | null,
) {
  const base: Omit<DesiredStateInput, "credentials"> = {
    clusterName: cluster.name,
    namespaces: state.namespaces.map((ns) => ({ name: ns.name, labels: ns.labels })),
    workloads: state.workloads,
    registries: rows.map((r) => ({ id: r.id, registry: r.registry, type: r.type, secrets: r.secrets })),
    environmentLabel: environmentLabel ?? undefined,
  };
  // A first pass without credentials tells which registries are in use: only those get tokens minted or sources read.
  const used = new Set(computeDesiredState({ ...base, credentials: new Map() }).held.map((h) => h.registryId));
  const resolved = await resolveCredentials(
    rows.filter((r) => used.has(r.id)),
    {
      keyring: deps.keyring,
      readSecret: reader.readSecret,
      clusterName: cluster.name,
      secretRefNamespaces: cluster.secretRefNamespaces,
      now: deps.now,
      timeoutMs: deps.timeoutMs,
      ecrEndpoint: deps.ecrEndpoint,
    },
  );
  return { desired: computeDesiredState({ ...base, credentials: resolved.credentials }), resolved, base };
}

function candidateNames(desired: DesiredState, state: ClusterState, deleted: readonly string[]): string[] {
  return [
    ...desired.secrets.map((s) => s.name),
    ...desired.held.map((h) => h.name),
    ...state.serviceAccounts.flatMap((sa) => sa.imagePullSecrets),
    ...state.workloads.flatMap((w) => w.imagePullSecrets.map((r) => r.name ?? "")),
    ...deleted.map(L.secretNameFor),
  ];
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

async function applyPlan(
  deps: ReconcileDeps,
  runIds: string[],
  plan: SyncPlan,
  state: ClusterState,
  actual: Map<string, KubeSecret>,
  owner: Owner,
) {
  const ctx: ApplyContext = {
    client: deps.client,
    actual,
    versions: state.versions,
    mayWrite: deps.mayWrite ?? (() => true),
    onWrite: deps.onWrite,
    owner,
  };
  const groups = groupByNamespace(plan);
  const namespaces = state.namespaces.map((ns) => ns.name);
  const applied = new Map<string, AppliedNamespace & { adopted: string[] }>();
  let done = namespaces.filter((ns) => !groups.has(ns)).length;
  let retry = false;
  let lastProgress = 0;
  await pool(
    [...groups.keys()].filter((ns) => namespaces.includes(ns)),
    deps.concurrency ?? 8,
    async (ns) => {
      const g = groups.get(ns)!;
      const out = await applyNamespace(ctx, g.secrets, g.wiring);
      applied.set(ns, out);
      retry ||= out.retry;
      done += 1;
      if (Date.now() - lastProgress > PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        await repo.progressRuns(deps.db, runIds, done, namespaces.length);
      }
    },
  );
  return { applied, retry };
}

async function finish(
  deps: ReconcileDeps,
  cluster: ClusterRow,
  runIds: string[],
  result: ReconcileResult,
  total: number,
): Promise<ReconcileResult> {
  await repo.finishRuns(deps.db, runIds, {
    status: result.status,
    summary: result.summary,
    error: result.error,
    total,
    done: result.unreachable ? 0 : total,
  });
  await repo.updateClusterSync(deps.db, cluster.id, {
    lastRunId: result.runId,
    lastSyncAt: deps.now(),
    lastStatus: result.status,
    lastError: result.error,
  });
  await repo.pruneRuns(deps.db, cluster.id);
  return result;
}

/** The pass's runs, started by this instance: the queued ones it takes over, or a new one. */
async function startedRuns(deps: ReconcileDeps, cluster: ClusterRow, opts: ReconcileOptions): Promise<string[]> {
  if (opts.runIds?.length) {
    await repo.startRuns(deps.db, opts.runIds, deps.instanceId, 0);
    return opts.runIds;
  }
  const id = await repo.createRun(deps.db, {
    orgId: cluster.orgId,
    clusterId: cluster.id,
    trigger: opts.trigger,
    status: "running",
    requestedBy: opts.requestedBy,
    instanceId: deps.instanceId,
    startedAt: deps.now(),
  });
  return [id];
}

/**
 * One pass over one cluster: read (one LIST per kind, all namespaces), compute the desired state, plan, apply,
 * and record the outcome per cluster and namespace. Never throws for cluster or credential failures.
 */
export async function reconcileCluster(
  deps: ReconcileDeps,
  cluster: ClusterRow,
  opts: ReconcileOptions,
): Promise<ReconcileResult> {
  const reader = deps.reader ?? listingReader(deps.client);
  // What the pass needs from the database, read together (writes wait on it: a watch event's latency).
  const [settings, runIds, rows, tombstones, installation, adoptable] = await Promise.all([
    repo.ensureClusterSync(deps.db, cluster),
    startedRuns(deps, cluster, opts),
    listRegistryRows(deps.db, cluster.orgId),
    repo.listTombstones(deps.db, cluster.orgId),
    ensureInstallation(deps.db),
    repo.heldSecretKeys(deps.db, cluster.id, opts.only),
  ]);
  const base = {
    runId: runIds[0]!,
    unreachable: false,
    summary: EMPTY_SUMMARY,
    namespaces: [],
    expiring: [],
    unavailable: [],
    sources: [],
    retry: false,
  };
  const observed = await reader.observe(scopeOf(cluster), opts.only);
  if (!observed.ok) {
    const error = `${observed.step}: ${observed.error.message}`;
    return finish(deps, cluster, runIds, { ...base, status: "failed", error, unreachable: true, retry: true }, 0);
  }
  const { state } = observed;
  const total = state.namespaces.length;
  // A full pass shows its progress over every namespace; a pass over a few records its total when it ends.
  if (!opts.only) await repo.progressRuns(deps.db, runIds, 0, total);
  const deleted = deletedRegistryIds(rows, tombstones);
  const first = await desiredFor(deps, reader, cluster, state, rows, settings.environmentLabel);
  const { resolved } = first;
  const nsNames = new Set(state.namespaces.map((ns) => ns.name));
  const named = await reader.namedSecrets(candidateNames(first.desired, state, deleted), nsNames);
  if (!named.ok)
    return finish(
      deps,
      cluster,
      runIds,
      { ...base, status: "failed", error: `list secrets: ${named.error.message}`, unreachable: true, retry: true },
      0,
    );
  const actual = new Map([...named.secrets, ...state.managed].map((s) => [`${s.namespace}/${s.name}`, s]));
  const ownership: Ownership = {
    owner: { installation, org: cluster.orgId },
    adoptable,
    known: new Set([...rows.map((r) => r.id), ...deleted]),
  };
  const namer = secretNamer(ownership, actual);
  const desired = computeDesiredState({
    ...first.base,
    credentials: resolved.credentials,
    owner: ownership.owner,
    secretName: namer,
  });
  const planned = planSecretSync({
    desired,
    owner: ownership.owner,
    adoptable: ownership.adoptable,
    actual: [...actual.values()],
    serviceAccounts: state.serviceAccounts.map((sa) => ({
      namespace: sa.namespace,
      name: sa.name,
      annotations: sa.annotations,
      imagePullSecrets: sa.imagePullSecrets.map((name) => ({ name })),
    })),
    now: deps.now(),
    gracePeriodMs: deps.gracePeriodMs,
    deletedRegistryIds: deleted,
    wiring: plannedWiringMode(settings.wiring),
  });
  const plan = settings.wiring === "webhook" ? removalsOnly(planned) : planned;
  const extras = {
    expiring: [...resolved.credentials].flatMap(([registryId, c]) =>
      c.kind !== "unavailable" && c.expiresAt ? [{ registryId, expiresAt: c.expiresAt }] : [],
    ),
    unavailable: [...resolved.credentials].flatMap(([registryId, c]) =>
      c.kind === "unavailable" ? [{ registryId, reason: c.reason }] : [],
    ),
    sources: resolved.sources,
  };
  let applied: Awaited<ReturnType<typeof applyPlan>>;
  let namespaces: repo.NamespaceResultRow[];
  try {
    applied = await applyPlan(deps, runIds, plan, state, actual, ownership.owner);
    await auditAdoptions(deps.db, cluster, ownership.owner.installation, applied.applied);
    const stuckDeps = {
      client: deps.client,
      mayWrite: deps.mayWrite ?? (() => true),
      restart: settings.restartStuckPods,
      secretName: namer,
    };
    namespaces = await handleStuckPods(
      stuckDeps,
      state.pods,
      rows,
      namespaceResults([...nsNames].sort(), desired, plan, applied.applied),
    );
  } catch (err) {
    if (!(err instanceof LeadershipLost)) throw err;
    return finish(
      deps,
      cluster,
      runIds,
      { ...base, ...extras, observed: state, status: "failed", error: err.message },
      total,
    );
  }
  await repo.recordNamespaceResults(deps.db, cluster, runIds[0]!, namespaces, deps.now(), opts.only);
  const summary = summarize(namespaces, resolved.mints);
  const status = summary.errors > 0 ? "partial" : "succeeded";
  return finish(
    deps,
    cluster,
    runIds,
    { ...base, ...extras, observed: state, status, error: null, summary, namespaces, retry: applied.retry },
    total,
  );
}

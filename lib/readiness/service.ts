import "server-only";
import { authorize } from "../auth/authenticate";
import { clientForCluster } from "../clusters/client";
import {
  type ClusterRow,
  type ClusterSettings,
  DEFAULT_CLUSTER_SETTINGS,
  findClusterSettings,
  listClusterRows,
} from "../clusters/repo";
import type { Ctx } from "../context";
import { env } from "../env";
import { ensureInstallation } from "../installation/repo";
import type { KubeClient } from "../integrations/kube";
import { listRegistryRows, type RegistryRow } from "../registries/repo";
import { parseWith } from "../validation";
import { type CheckFinding, evaluateClusterReadiness } from "./evaluate";
import { readReadinessObjects, type ReadinessObjects } from "./read";
import { credentialIssuesByCluster, readChecksByKey } from "./repo";
import { repositoryCheckKey, type RepositoryTarget } from "./targets";
import { ReadinessQuery, type ReadinessView, type Verdict, type WorkloadReadiness } from "./schema";

export type ReadinessOptions = {
  now?: Date;
  timeoutMs?: number;
  /** how one cluster is reached; tests and benches wrap it to count requests */
  clientFor?: (row: ClusterRow, timeoutMs: number) => KubeClient;
};

export type ClusterEvaluation = {
  row: ClusterRow;
  objects: ReadinessObjects | null;
  error: string | null;
  workloads: WorkloadReadiness[];
  targets: RepositoryTarget[];
};

export type OrgReadiness = { clusters: ClusterEvaluation[]; registries: RegistryRow[] };

/** What reading an org's readiness needs: no actor (the controller's scheduled checks run without one). */
export type OrgScope = Pick<Ctx, "db" | "keyring"> & { orgId: string };

/** Reads each wanted cluster (from the controller's cache when this process has one) and judges its workloads. */
export async function evaluateOrgReadiness(
  ctx: OrgScope,
  wanted: (row: ClusterRow) => boolean,
  opts: ReadinessOptions & { checks?: ReadonlyMap<string, CheckFinding> },
): Promise<OrgReadiness> {
  const orgId = ctx.orgId;
  const now = opts.now ?? new Date();
  const timeoutMs = opts.timeoutMs ?? env().REGCRED_CHECK_TIMEOUT_MS;
  const [rows, registries, checks, issues, installation] = await Promise.all([
    listClusterRows(ctx.db, orgId),
    listRegistryRows(ctx.db, orgId),
    opts.checks ?? readChecksByKey(ctx.db, orgId),
    credentialIssuesByCluster(ctx.db, orgId),
    ensureInstallation(ctx.db),
  ]);
  const chosen = rows.filter(wanted);
  const settings = await findClusterSettings(
    ctx.db,
    chosen.map((r) => r.id),
  );
  const clusters = await Promise.all(
    chosen.map(async (row): Promise<ClusterEvaluation> => {
      const read = await readReadinessObjects(
        row.id,
        { namespaceSelector: row.namespaceSelector, excludeNamespaces: row.excludeNamespaces },
        () => (opts.clientFor ? opts.clientFor(row, timeoutMs) : clientForCluster(ctx.keyring, row, { timeoutMs })),
        timeoutMs * 2,
      );
      if (!read.ok) return { row, objects: null, error: read.error, workloads: [], targets: [] };
      const s: ClusterSettings = settings.get(row.id) ?? DEFAULT_CLUSTER_SETTINGS;
      const failures = new Map((issues.get(row.id) ?? []).map((i) => [i.registryId, i.reason]));
      const { workloads, targets } = evaluateClusterReadiness({
        cluster: { id: row.id, name: row.name },
        wiring: s.wiring,
        nodeCredentialImages: s.nodeCredentialImages,
        owner: { installation, org: orgId },
        ...read.value,
        registries,
        checks,
        credentialFailures: failures,
        now,
      });
      return { row, objects: read.value, error: null, workloads, targets };
    }),
  );
  return { clusters, registries };
}

const emptyCounts = (): Record<Verdict, number> => ({ ready: 0, will_fail: 0, unknown: 0 });

/**
 * The readiness view: a verdict per workload and image of every cluster of the org (or the one `cluster` names), from
 * cached repository checks; reading it never triggers a check. A cluster that cannot be read is reported, not fatal.
 */
export async function getReadinessView(
  ctx: Ctx,
  rawQuery: unknown,
  opts: ReadinessOptions = {},
): Promise<ReadinessView> {
  authorize(ctx.actor, "viewer");
  const query = parseWith(ReadinessQuery, rawQuery);
  const now = opts.now ?? new Date();
  const checks = await readChecksByKey(ctx.db, ctx.actor.orgId);
  const { clusters } = await evaluateOrgReadiness(
    { db: ctx.db, keyring: ctx.keyring, orgId: ctx.actor.orgId },
    (row) => !query.cluster || row.id === query.cluster || row.name === query.cluster,
    { ...opts, now, checks },
  );
  const inNamespace = clusters
    .flatMap((c) => c.workloads)
    .filter((w) => !query.namespace || w.namespace === query.namespace);
  const counts = emptyCounts();
  for (const w of inNamespace) counts[w.verdict] += 1;
  const used = new Set(clusters.flatMap((c) => c.targets.map(repositoryCheckKey)));
  const times = [...checks.entries()].filter(([k]) => used.has(k)).map(([, c]) => c.checkedAt.getTime());
  return {
    workloads: inNamespace.filter((w) => !query.verdict || w.verdict === query.verdict),
    counts,
    clusters: clusters.map((c) => ({
      id: c.row.id,
      name: c.row.name,
      ok: c.error === null,
      ...(c.error !== null ? { error: c.error } : {}),
      workloads: c.workloads.length,
    })),
    checked_at: times.length > 0 ? new Date(Math.min(...times)).toISOString() : null,
    generated_at: now.toISOString(),
  };
}

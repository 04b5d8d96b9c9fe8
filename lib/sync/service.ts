import "server-only";
import { recordAudit } from "@/lib/audit/repo";
import { authorize } from "@/lib/auth/authenticate";
import { listClusterRows, type ClusterRow } from "@/lib/clusters/repo";
import { requireCluster } from "@/lib/clusters/service";
import type { Ctx } from "@/lib/context";
import { isUuid } from "@/lib/validation";
import * as repo from "./repo";
import { signalController } from "./signal";
import type { SyncClusterOverview, SyncNamespaceDto, SyncRequested, SyncRunDto, SyncStatusDto } from "./schema";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function runDto(r: repo.SyncRunRow): SyncRunDto {
  return {
    id: r.id,
    trigger: r.trigger,
    status: r.status,
    requested_by: r.requestedBy,
    namespaces_total: r.namespacesTotal,
    namespaces_done: r.namespacesDone,
    summary: r.summary ?? null,
    error: r.error,
    created_at: r.createdAt.toISOString(),
    started_at: iso(r.startedAt),
    finished_at: iso(r.finishedAt),
  };
}

function namespaceDto(r: repo.SyncNamespaceRow): SyncNamespaceDto {
  return {
    namespace: r.namespace,
    outcome: r.outcome,
    synced_at: r.syncedAt.toISOString(),
    secrets: r.secrets,
    changes: r.changes,
    changed_at: iso(r.changedAt),
    errors: r.errors,
    conflicts: r.conflicts,
    warnings: r.warnings,
    stuck_pods: r.stuckPods,
  };
}

async function clusterStatus(ctx: Ctx, row: ClusterRow) {
  const [settings, runs] = await Promise.all([
    repo.findClusterSync(ctx.db, row.id),
    repo.recentRuns(ctx.db, row.id, 20),
  ]);
  const current = runs.find((r) => r.status === "running") ?? runs.findLast((r) => r.status === "queued") ?? null;
  const last = runs.find((r) => r.finishedAt !== null) ?? null;
  return {
    cluster: { id: row.id, name: row.name },
    state: current?.status === "running" ? "running" : current ? "queued" : "idle",
    current: current ? runDto(current) : null,
    last: last ? runDto(last) : null,
    progress: current?.status === "running" ? { done: current.namespacesDone, total: current.namespacesTotal } : null,
    last_sync_at: iso(settings?.lastSyncAt ?? null),
    last_status: settings?.lastStatus ?? null,
    last_error: settings?.lastError ?? null,
    lease_holder: settings?.leaseHolder ?? null,
    wiring: settings?.wiring ?? "serviceaccount",
    credential_issues: settings?.credentialIssues ?? [],
  } satisfies Omit<SyncStatusDto, "namespaces" | "conflicts">;
}

/** "Sync now": queues a pass (the cluster's lease holder starts it, in this process at once); 202 with its id. */
export async function requestSync(ctx: Ctx, idOrName: string): Promise<SyncRequested> {
  authorize(ctx.actor, "manager");
  const row = await requireCluster(ctx, idOrName);
  await repo.ensureClusterSync(ctx.db, row);
  const id = await repo.createRun(ctx.db, {
    orgId: row.orgId,
    clusterId: row.id,
    trigger: "manual",
    status: "queued",
    requestedBy: ctx.actor.label,
  });
  await recordAudit(ctx.db, ctx.actor, "cluster.sync", row.name, { run: id });
  await signalController(row.id, "manual");
  return { id, status: "queued", cluster_id: row.id };
}

/** The sync status of one cluster: the running pass and its progress, the last result per namespace, conflicts. */

export async function getSyncStatus(ctx: Ctx, idOrName: string, runId?: string | null): Promise<SyncStatusDto> {
  authorize(ctx.actor, "viewer");
  const row = await requireCluster(ctx, idOrName);
  const [status, namespaces, run] = await Promise.all([
    clusterStatus(ctx, row),
    repo.listNamespaceResults(ctx.db, row.id),
    runId && isUuid(runId) ? repo.findRun(ctx.db, row.id, runId) : null,
  ]);
  const dtos = namespaces.map(namespaceDto);
  return {
    ...status,
    namespaces: dtos,
    conflicts: dtos.flatMap((n) => n.conflicts.map((c) => ({ namespace: n.namespace, ...c }))),
    ...(runId ? { run: run ? runDto(run) : null } : {}),
  };
}

/** Every cluster of the org with its latest sync, for the Sync page. */
export async function getSyncOverview(ctx: Ctx): Promise<SyncClusterOverview[]> {
  authorize(ctx.actor, "viewer");
  const rows = await listClusterRows(ctx.db, ctx.actor.orgId);
  return Promise.all(
    rows.map(async (row) => {
      const [status, namespaces] = await Promise.all([
        clusterStatus(ctx, row),
        repo.listNamespaceResults(ctx.db, row.id),
      ]);
      const counts = { ok: 0, changed: 0, conflict: 0, error: 0 };
      for (const n of namespaces) counts[n.outcome] += 1;
      return { ...status, server: row.server, counts };
    }),
  );
}

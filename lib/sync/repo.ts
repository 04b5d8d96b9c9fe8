import "server-only";
import { and, asc, desc, eq, inArray, lt, notInArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clusterSync, registryTombstones, syncNamespaces, syncRuns } from "@/db/schema";
import type { CredentialIssue, StuckPodEntry, SyncChange, SyncConflictEntry, SyncRunSummary } from "@/db/schema/sync";

export type ClusterSyncRow = typeof clusterSync.$inferSelect;
export type SyncRunRow = typeof syncRuns.$inferSelect;
export type SyncNamespaceRow = typeof syncNamespaces.$inferSelect;
export type SyncTrigger = SyncRunRow["trigger"];
export type RunStatus = SyncRunRow["status"];

const RUNS_KEPT = 50;
const TOMBSTONE_DAYS = 30;

export async function ensureClusterSync(db: Db, cluster: { id: string; orgId: string }): Promise<ClusterSyncRow> {
  const read = () => db.select().from(clusterSync).where(eq(clusterSync.clusterId, cluster.id)).limit(1);
  const [found] = await read();
  if (found) return found;
  await db.insert(clusterSync).values({ clusterId: cluster.id, orgId: cluster.orgId }).onConflictDoNothing();
  const [row] = await read();
  return row!;
}

export async function updateClusterSync(
  db: Db,
  clusterId: string,
  values: Partial<Omit<ClusterSyncRow, "clusterId" | "orgId">>,
): Promise<void> {
  await db
    .update(clusterSync)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(clusterSync.clusterId, clusterId));
}

export async function setCredentialIssues(db: Db, clusterId: string, issues: CredentialIssue[]): Promise<void> {
  await updateClusterSync(db, clusterId, { credentialIssues: issues });
}

export async function createRun(
  db: Db,
  run: {
    orgId: string;
    clusterId: string;
    trigger: SyncTrigger;
    status: RunStatus;
    requestedBy?: string | null;
    /** A run created already started, by this instance. */
    instanceId?: string;
    startedAt?: Date;
  },
): Promise<string> {
  const [row] = await db
    .insert(syncRuns)
    .values({ ...run, requestedBy: run.requestedBy ?? null })
    .returning({ id: syncRuns.id });
  return row!.id;
}

export async function hasQueuedRun(db: Db, clusterId: string): Promise<boolean> {
  const [queued] = await db
    .select({ id: syncRuns.id })
    .from(syncRuns)
    .where(and(eq(syncRuns.clusterId, clusterId), eq(syncRuns.status, "queued")))
    .limit(1);
  return Boolean(queued);
}

/** Queued runs of a cluster ("Sync now" requests), oldest first. */
export async function queuedRuns(db: Db, clusterId: string): Promise<SyncRunRow[]> {
  return db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.clusterId, clusterId), eq(syncRuns.status, "queued")))
    .orderBy(asc(syncRuns.createdAt));
}

/** Clusters that have queued runs (polled by controllers in other processes). */
export async function clustersWithQueuedRuns(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ clusterId: syncRuns.clusterId })
    .from(syncRuns)
    .where(eq(syncRuns.status, "queued"));
  return rows.map((r) => r.clusterId);
}

export async function startRuns(db: Db, ids: string[], instanceId: string, total: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(syncRuns)
    .set({ status: "running", instanceId, startedAt: new Date(), namespacesTotal: total, namespacesDone: 0 })
    .where(inArray(syncRuns.id, ids));
}

export async function progressRuns(db: Db, ids: string[], done: number, total: number): Promise<void> {
  if (ids.length === 0) return;
  await db.update(syncRuns).set({ namespacesDone: done, namespacesTotal: total }).where(inArray(syncRuns.id, ids));
}

export async function finishRuns(
  db: Db,
  ids: string[],
  result: { status: RunStatus; summary: SyncRunSummary | null; error: string | null; total: number; done: number },
): Promise<void> {
  if (ids.length === 0) return;
  const { status, summary, error, total, done } = result;
  await db
    .update(syncRuns)
    .set({ status, summary, error, namespacesTotal: total, namespacesDone: done, finishedAt: new Date() })
    .where(inArray(syncRuns.id, ids));
}

/** Runs left "running" by a process that stopped (or lost the lease) before finishing them. */
export async function failStaleRuns(db: Db, clusterId: string, olderThan: Date): Promise<void> {
  await db
    .update(syncRuns)
    .set({ status: "failed", error: "the controller stopped before finishing this sync", finishedAt: new Date() })
    .where(and(eq(syncRuns.clusterId, clusterId), eq(syncRuns.status, "running"), lt(syncRuns.startedAt, olderThan)));
}

export async function pruneRuns(db: Db, clusterId: string): Promise<void> {
  const keep = await db
    .select({ id: syncRuns.id })
    .from(syncRuns)
    .where(eq(syncRuns.clusterId, clusterId))
    .orderBy(desc(syncRuns.createdAt))
    .limit(RUNS_KEPT);
  if (keep.length < RUNS_KEPT) return;
  const ids = keep.map((r) => r.id);
  await db
    .delete(syncRuns)
    .where(
      and(
        eq(syncRuns.clusterId, clusterId),
        notInArray(syncRuns.id, ids),
        inArray(syncRuns.status, ["succeeded", "partial", "failed"]),
      ),
    );
}

export type NamespaceResultRow = {
  namespace: string;
  outcome: SyncNamespaceRow["outcome"];
  secrets: string[];
  changes: SyncChange[];
  errors: string[];
  conflicts: SyncConflictEntry[];
  warnings: string[];
  stuckPods: StuckPodEntry[];
};

/** Records each namespace's latest result; a pass without changes keeps the previous changes and their time. */
export async function recordNamespaceResults(
  db: Db,
  cluster: { id: string; orgId: string },
  runId: string,
  rows: NamespaceResultRow[],
  at: Date,
  /** A pass over only these namespaces: rows of other namespaces stay. */
  only?: ReadonlySet<string>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    const values = rows.slice(i, i + 200).map((r) => ({
      clusterId: cluster.id,
      orgId: cluster.orgId,
      runId,
      syncedAt: at,
      changedAt: r.changes.length > 0 ? at : null,
      ...r,
    }));
    await db
      .insert(syncNamespaces)
      .values(values)
      .onConflictDoUpdate({
        target: [syncNamespaces.clusterId, syncNamespaces.namespace],
        set: {
          runId: sql`excluded.run_id`,
          syncedAt: sql`excluded.synced_at`,
          outcome: sql`excluded.outcome`,
          secrets: sql`excluded.secrets`,
          errors: sql`excluded.errors`,
          conflicts: sql`excluded.conflicts`,
          warnings: sql`excluded.warnings`,
          stuckPods: sql`excluded.stuck_pods`,
          changes: sql`case when jsonb_array_length(excluded.changes) > 0 then excluded.changes else ${syncNamespaces.changes} end`,
          changedAt: sql`coalesce(excluded.changed_at, ${syncNamespaces.changedAt})`,
        },
      });
  }
  const names = rows.map((r) => r.namespace);
  const kept = new Set(names);
  if (only) {
    const left = [...only].filter((ns) => !kept.has(ns));
    if (left.length > 0)
      await db
        .delete(syncNamespaces)
        .where(and(eq(syncNamespaces.clusterId, cluster.id), inArray(syncNamespaces.namespace, left)));
    return;
  }
  const gone = names.length > 0 ? notInArray(syncNamespaces.namespace, names) : undefined;
  await db.delete(syncNamespaces).where(and(eq(syncNamespaces.clusterId, cluster.id), gone));
}

/** `namespace/name` of every secret this installation's last passes held in the cluster (what the previous release wrote). */
export async function heldSecretKeys(db: Db, clusterId: string, only?: ReadonlySet<string>): Promise<Set<string>> {
  const inOnly = only ? inArray(syncNamespaces.namespace, [...only]) : undefined;
  const rows = await db
    .select({ namespace: syncNamespaces.namespace, secrets: syncNamespaces.secrets })
    .from(syncNamespaces)
    .where(and(eq(syncNamespaces.clusterId, clusterId), inOnly));
  return new Set(rows.flatMap((r) => r.secrets.map((name) => `${r.namespace}/${name}`)));
}

/** True when some cluster of this installation recorded that holder of its Lease (an instance of this installation). */
export async function isKnownLeaseHolder(db: Db, holder: string): Promise<boolean> {
  const [row] = await db
    .select({ id: clusterSync.clusterId })
    .from(clusterSync)
    .where(eq(clusterSync.leaseHolder, holder))
    .limit(1);
  return Boolean(row);
}

export async function listNamespaceResults(db: Db, clusterId: string): Promise<SyncNamespaceRow[]> {
  return db
    .select()
    .from(syncNamespaces)
    .where(eq(syncNamespaces.clusterId, clusterId))
    .orderBy(asc(syncNamespaces.namespace));
}

export async function findRun(db: Db, clusterId: string, runId: string): Promise<SyncRunRow | null> {
  const [row] = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.clusterId, clusterId), eq(syncRuns.id, runId)))
    .limit(1);
  return row ?? null;
}

export async function recentRuns(db: Db, clusterId: string, limit = 10): Promise<SyncRunRow[]> {
  return db
    .select()
    .from(syncRuns)
    .where(eq(syncRuns.clusterId, clusterId))
    .orderBy(desc(syncRuns.createdAt))
    .limit(limit);
}

export async function findClusterSync(db: Db, clusterId: string): Promise<ClusterSyncRow | null> {
  const [row] = await db.select().from(clusterSync).where(eq(clusterSync.clusterId, clusterId)).limit(1);
  return row ?? null;
}

export async function addTombstone(db: Db, orgId: string, registryId: string): Promise<void> {
  await db
    .insert(registryTombstones)
    .values({ orgId, registryId })
    .onConflictDoUpdate({
      target: [registryTombstones.orgId, registryTombstones.registryId],
      set: { deletedAt: new Date() },
    });
}

export async function removeTombstone(db: Db, orgId: string, registryId: string): Promise<void> {
  await db
    .delete(registryTombstones)
    .where(and(eq(registryTombstones.orgId, orgId), eq(registryTombstones.registryId, registryId)));
}

export async function listTombstones(db: Db, orgId: string): Promise<string[]> {
  const cutoff = new Date(Date.now() - TOMBSTONE_DAYS * 86_400_000);
  await db
    .delete(registryTombstones)
    .where(and(eq(registryTombstones.orgId, orgId), lt(registryTombstones.deletedAt, cutoff)));
  const rows = await db
    .select({ id: registryTombstones.registryId })
    .from(registryTombstones)
    .where(eq(registryTombstones.orgId, orgId));
  return rows.map((r) => r.id);
}

/** Queued runs that no instance could start (this one cannot reach the cluster, and nobody else took them). */
export async function failQueuedRuns(db: Db, clusterId: string, olderThan: Date, error: string): Promise<void> {
  await db
    .update(syncRuns)
    .set({ status: "failed", error, finishedAt: new Date() })
    .where(and(eq(syncRuns.clusterId, clusterId), eq(syncRuns.status, "queued"), lt(syncRuns.createdAt, olderThan)));
}

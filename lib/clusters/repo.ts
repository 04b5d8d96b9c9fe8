import "server-only";
import { and, asc, eq, inArray, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clusters, clusterSync } from "@/db/schema";
import type { ClusterResponse } from "./schema";
import { describeScope, IGNORE_LABEL, type NamespaceScope } from "./scope";

export type ClusterRow = typeof clusters.$inferSelect;
/** The controller settings kept in cluster_sync; a cluster without a row has the defaults. */
export type ClusterSettings = Pick<typeof clusterSync.$inferSelect, "wiring" | "environmentLabel" | "restartStuckPods">;
export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = { wiring: "serviceaccount", environmentLabel: null, restartStuckPods: false };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function scopeOf(row: Pick<ClusterRow, "namespaceSelector" | "excludeNamespaces">): NamespaceScope {
  return { namespaceSelector: row.namespaceSelector, excludeNamespaces: row.excludeNamespaces };
}

export function toResponse(row: ClusterRow, settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS): ClusterResponse {
  const scope = scopeOf(row);
  return {
    id: row.id,
    name: row.name,
    source: row.source,
    server: row.server,
    context: row.contextName,
    auth_kind: row.authKind,
    insecure_skip_tls_verify: row.insecureSkipTlsVerify,
    default_namespace: row.defaultNamespace,
    scope: { namespace_selector: row.namespaceSelector, exclude_namespaces: row.excludeNamespaces, ignore_label: `${IGNORE_LABEL}=true`, description: describeScope(scope) },
    wiring: settings.wiring,
    environment_label: settings.environmentLabel,
    restart_stuck_pods: settings.restartStuckPods,
    last_test: row.lastTest
      ? { status: row.lastTest.status, version: row.lastTest.version, summary: row.lastTest.summary, missing: row.lastTest.missing, tested_at: row.lastTest.testedAt }
      : null,
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
    updated_at: row.updatedAt.toISOString(),
  };
}

export async function listClusterRows(db: Db, orgId: string): Promise<ClusterRow[]> {
  return db.select().from(clusters).where(eq(clusters.orgId, orgId)).orderBy(asc(clusters.name));
}

/** Finds a cluster by id, or by name (the key secret_ref maps use). */
export async function findClusterRow(db: Db, orgId: string, idOrName: string): Promise<ClusterRow | null> {
  const match = uuidPattern.test(idOrName) ? or(eq(clusters.id, idOrName), eq(clusters.name, idOrName)) : eq(clusters.name, idOrName);
  const rows = await db.select().from(clusters).where(and(eq(clusters.orgId, orgId), match)).limit(2);
  return rows.find((r) => r.id === idOrName) ?? rows[0] ?? null;
}

export async function findClusterByName(db: Db, orgId: string, name: string): Promise<ClusterRow | null> {
  const [row] = await db.select().from(clusters).where(and(eq(clusters.orgId, orgId), eq(clusters.name, name))).limit(1);
  return row ?? null;
}

export async function findClusterSettings(db: Db, clusterIds: readonly string[]): Promise<Map<string, ClusterSettings>> {
  if (clusterIds.length === 0) return new Map();
  const rows = await db
    .select({ clusterId: clusterSync.clusterId, wiring: clusterSync.wiring, environmentLabel: clusterSync.environmentLabel, restartStuckPods: clusterSync.restartStuckPods })
    .from(clusterSync)
    .where(inArray(clusterSync.clusterId, [...clusterIds]));
  return new Map(rows.map(({ clusterId, ...settings }) => [clusterId, settings]));
}

/** Creates or updates a cluster's controller settings; returns them as stored. */
export async function saveClusterSettings(db: Db, cluster: { id: string; orgId: string }, values: Partial<ClusterSettings>): Promise<ClusterSettings> {
  const [row] = await db
    .insert(clusterSync)
    .values({ clusterId: cluster.id, orgId: cluster.orgId, ...values })
    .onConflictDoUpdate({ target: clusterSync.clusterId, set: { ...values, updatedAt: new Date() } })
    .returning({ wiring: clusterSync.wiring, environmentLabel: clusterSync.environmentLabel, restartStuckPods: clusterSync.restartStuckPods });
  return row!;
}

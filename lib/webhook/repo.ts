import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clusters, clusterSync, syncNamespaces } from "@/db/schema";
import type { ClusterRow } from "@/lib/clusters/repo";
import { isUuid } from "@/lib/validation";
import type { ClusterSyncRow } from "@/lib/sync/repo";

/** The cluster a review names and its controller settings (webhook caller auth among them), or null. */
export async function findWebhookTarget(
  db: Db,
  clusterId: string,
): Promise<{ cluster: ClusterRow; sync: ClusterSyncRow } | null> {
  if (!isUuid(clusterId)) return null;
  const [row] = await db
    .select({ cluster: clusters, sync: clusterSync })
    .from(clusters)
    .innerJoin(clusterSync, eq(clusterSync.clusterId, clusters.id))
    .where(eq(clusters.id, clusterId))
    .limit(1);
  return row ?? null;
}

/**
 * The `regcred-<id>` secrets the controller's last pass found in use in a namespace (by a workload or a
 * ServiceAccount it observed there): the only ones an unauthenticated review may have written.
 */
export async function knownSecretsIn(db: Db, clusterId: string, namespace: string): Promise<ReadonlySet<string>> {
  const [row] = await db
    .select({ secrets: syncNamespaces.secrets })
    .from(syncNamespaces)
    .where(and(eq(syncNamespaces.clusterId, clusterId), eq(syncNamespaces.namespace, namespace)))
    .limit(1);
  return new Set(row?.secrets ?? []);
}

import "server-only";
import { and, eq, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clusters, clusterSync, registries } from "@/db/schema";
import { kubeconfigAad, registryCredsAad, webhookTokenAad } from "./aad";

export type SealedCell = { rowId: string; aad: string; sealed: string };

/** One column holding sealed values: how to read every value with its AAD, and how to write one back. */
export type SealedColumn = {
  name: string;
  /** Every value, or only the values of one org. */
  list: (db: Db, orgId?: string) => Promise<SealedCell[]>;
  /** Writes the new value only if the stored one is still `previous` (a concurrent edit wins); true if written. */
  replace: (db: Db, rowId: string, previous: string, next: string) => Promise<boolean>;
};

export const sealedColumns: SealedColumn[] = [
  {
    name: "registries.creds_sealed",
    list: async (db, orgId) => {
      const rows = await db
        .select({ id: registries.id, orgId: registries.orgId, sealed: registries.credsSealed })
        .from(registries)
        .where(and(isNotNull(registries.credsSealed), orgId ? eq(registries.orgId, orgId) : undefined));
      return rows.map((r) => ({
        rowId: `${r.orgId}/${r.id}`,
        aad: registryCredsAad(r.orgId, r.id),
        sealed: r.sealed!,
      }));
    },
    replace: async (db, rowId, previous, next) => {
      const [orgId, id] = splitRowId(rowId);
      const where = and(eq(registries.orgId, orgId), eq(registries.id, id), eq(registries.credsSealed, previous));
      return (
        (await db.update(registries).set({ credsSealed: next }).where(where).returning({ id: registries.id }))
          .length === 1
      );
    },
  },
  {
    name: "clusters.kubeconfig_sealed",
    list: async (db, orgId) => {
      const rows = await db
        .select({ id: clusters.id, orgId: clusters.orgId, sealed: clusters.kubeconfigSealed })
        .from(clusters)
        .where(and(isNotNull(clusters.kubeconfigSealed), orgId ? eq(clusters.orgId, orgId) : undefined));
      return rows.map((r) => ({ rowId: `${r.orgId}/${r.id}`, aad: kubeconfigAad(r.orgId, r.id), sealed: r.sealed! }));
    },
    replace: async (db, rowId, previous, next) => {
      const [, id] = splitRowId(rowId);
      const where = and(eq(clusters.id, id), eq(clusters.kubeconfigSealed, previous));
      return (
        (await db.update(clusters).set({ kubeconfigSealed: next }).where(where).returning({ id: clusters.id }))
          .length === 1
      );
    },
  },
  {
    name: "cluster_sync.webhook_token_sealed",
    list: async (db, orgId) => {
      const rows = await db
        .select({ id: clusterSync.clusterId, orgId: clusterSync.orgId, sealed: clusterSync.webhookTokenSealed })
        .from(clusterSync)
        .where(and(isNotNull(clusterSync.webhookTokenSealed), orgId ? eq(clusterSync.orgId, orgId) : undefined));
      return rows.map((r) => ({ rowId: `${r.orgId}/${r.id}`, aad: webhookTokenAad(r.orgId, r.id), sealed: r.sealed! }));
    },
    replace: async (db, rowId, previous, next) => {
      const [, id] = splitRowId(rowId);
      const where = and(eq(clusterSync.clusterId, id), eq(clusterSync.webhookTokenSealed, previous));
      return (
        (
          await db
            .update(clusterSync)
            .set({ webhookTokenSealed: next })
            .where(where)
            .returning({ id: clusterSync.clusterId })
        ).length === 1
      );
    },
  },
];

function splitRowId(rowId: string): [string, string] {
  const slash = rowId.indexOf("/");
  return [rowId.slice(0, slash), rowId.slice(slash + 1)];
}

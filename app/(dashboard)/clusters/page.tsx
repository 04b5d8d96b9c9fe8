import type { Metadata } from "next";
import { QueryProvider } from "@/components/query-provider";
import { ClustersScreen } from "@/components/clusters/clusters-screen";
import { requireActor } from "@/lib/auth/current";
import { roleAtLeast } from "@/lib/auth/roles";
import { listClusters } from "@/lib/clusters/service";
import { listImportableContexts } from "@/lib/clusters/startup";
import { runtime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Clusters" };

export default async function ClustersPage() {
  const actor = await requireActor();
  const { database, keyring } = await runtime();
  const ctx = { db: database.db, keyring, actor };
  const canWrite = roleAtLeast(actor.role, "admin");
  const [initial, importable] = await Promise.all([listClusters(ctx), canWrite ? listImportableContexts(ctx) : null]);
  return (
    <QueryProvider>
      <ClustersScreen orgId={actor.orgId} canWrite={canWrite} initial={initial} importable={importable} />
    </QueryProvider>
  );
}

import type { Metadata } from "next";
import { QueryProvider } from "@/components/query-provider";
import { ReadinessScreen } from "@/components/readiness/readiness-screen";
import { requireActor } from "@/lib/auth/current";
import { roleAtLeast } from "@/lib/auth/roles";
import { listClusters } from "@/lib/clusters/service";
import { filtersFromSearch } from "@/lib/readiness/url";
import { runtime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Readiness" };

export default async function ReadinessPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor();
  const { database, keyring } = await runtime();
  const clusters = await listClusters({ db: database.db, keyring, actor });
  return (
    <QueryProvider>
      <ReadinessScreen
        orgId={actor.orgId}
        clusterNames={clusters.map((c) => c.name).sort()}
        canRecheck={roleAtLeast(actor.role, "manager")}
        initialFilters={filtersFromSearch(await searchParams)}
      />
    </QueryProvider>
  );
}

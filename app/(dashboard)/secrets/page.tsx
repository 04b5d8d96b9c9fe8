import type { Metadata } from "next";
import { QueryProvider } from "@/components/query-provider";
import { SecretsScreen } from "@/components/secrets/secrets-screen";
import { requireActor } from "@/lib/auth/current";
import { listClusters } from "@/lib/clusters/service";
import { runtime } from "@/lib/runtime";
import { filtersFromSearch } from "@/lib/secrets/url";

export const metadata: Metadata = { title: "Secrets" };

export default async function SecretsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor();
  const { database, keyring } = await runtime();
  const clusters = await listClusters({ db: database.db, keyring, actor });
  return (
    <QueryProvider>
      <SecretsScreen
        orgId={actor.orgId}
        clusterCount={clusters.length}
        initialFilters={filtersFromSearch(await searchParams)}
      />
    </QueryProvider>
  );
}

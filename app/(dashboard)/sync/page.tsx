import type { Metadata } from "next";
import { QueryProvider } from "@/components/query-provider";
import { SyncScreen } from "@/components/sync/sync-screen";
import { requireActor } from "@/lib/auth/current";
import { roleAtLeast } from "@/lib/auth/roles";
import { getSyncOverview } from "@/lib/sync/service";
import { runtime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Sync" };

export default async function SyncPage() {
  const actor = await requireActor();
  const { database, keyring } = await runtime();
  const initial = await getSyncOverview({ db: database.db, keyring, actor });
  return (
    <QueryProvider>
      <SyncScreen orgId={actor.orgId} canSync={roleAtLeast(actor.role, "manager")} initial={initial} />
    </QueryProvider>
  );
}

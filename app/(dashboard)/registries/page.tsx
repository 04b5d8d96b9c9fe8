import type { Metadata } from "next";
import { RegistriesScreen } from "@/components/registries/registries-screen";
import { requireActor } from "@/lib/auth/current";
import { roleAtLeast } from "@/lib/auth/roles";
import { listRegistryViews } from "@/lib/registries/service";
import { runtime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Registries" };

export default async function RegistriesPage() {
  const actor = await requireActor();
  const { database, keyring } = await runtime();
  const initial = await listRegistryViews({ db: database.db, keyring, actor });
  return <RegistriesScreen orgId={actor.orgId} canWrite={roleAtLeast(actor.role, "manager")} initial={initial} />;
}

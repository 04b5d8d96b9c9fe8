import type { Metadata } from "next";
import { QueryProvider } from "@/components/query-provider";
import { OrgsPanel } from "@/components/settings/orgs-panel";
import { TokensPanel } from "@/components/settings/tokens-panel";
import { UsersPanel } from "@/components/settings/users-panel";
import { requireActor } from "@/lib/auth/current";
import { roleAtLeast } from "@/lib/auth/roles";
import { isInstanceAdmin, listAllOrgs } from "@/lib/orgs/service";
import { runtime } from "@/lib/runtime";
import { listTokens } from "@/lib/tokens/service";
import { listMembers } from "@/lib/users/service";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await requireActor();
  const { database } = await runtime();
  const orgsPanel = (await isInstanceAdmin(database.db, actor.userId)) ? (
    <QueryProvider>
      <OrgsPanel initial={await listAllOrgs(database.db, actor)} />
    </QueryProvider>
  ) : null;
  const head = (
    <header className="page-head">
      <div>
        <h1>Settings</h1>
        <p>API tokens and the users of org {actor.orgId}.</p>
      </div>
    </header>
  );
  if (!roleAtLeast(actor.role, "admin")) {
    return (
      <div className="stack">
        {head}
        <section className="card" aria-labelledby="settings-admin-only">
          <h2 id="settings-admin-only">Settings need the admin role</h2>
          <p className="muted" style={{ margin: 0 }}>
            You are signed in as <strong>{actor.role}</strong>. Ask an admin of {actor.orgId} to change your role, or to
            create the API token or invite you need.
          </p>
        </section>
        {orgsPanel}
      </div>
    );
  }
  const ctx = { db: database.db, actor };
  const [tokens, members] = await Promise.all([listTokens(ctx), listMembers(ctx)]);
  return (
    <div className="stack" style={{ gap: 32 }}>
      {head}
      <QueryProvider>
        <TokensPanel orgId={actor.orgId} initial={tokens} />
        <UsersPanel orgId={actor.orgId} currentUserId={actor.userId} initial={members} />
      </QueryProvider>
      {orgsPanel}
    </div>
  );
}

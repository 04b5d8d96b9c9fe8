import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signOutAction } from "@/lib/auth/actions";
import { getSessionActor } from "@/lib/auth/current";
import { currentSession } from "@/lib/orgs/session-org";
import { runtime } from "@/lib/runtime";

export const metadata: Metadata = { title: "No org" };

/** Signed in, but a member of no org any more: say so, say what to do, and offer to sign out. */
export default async function NoOrgPage() {
  if (await getSessionActor()) redirect("/registries");
  const session = await currentSession((await runtime()).database.db);
  if (!session) redirect("/login");
  return (
    <main className="auth-wrap">
      <section className="card auth-card stack" aria-labelledby="no-org-heading">
        <h1 id="no-org-heading">You are not a member of any org</h1>
        <p style={{ margin: 0 }}>
          You are signed in as <strong>{session.email}</strong>, but no org has you as a member any more: an admin
          removed you, or your invite to an org is still waiting to be accepted.
        </p>
        <p className="muted" style={{ margin: 0 }}>
          Ask an admin of your org to add you again, or open the invite link they sent you. If your org has no admin
          left, the instance admin (the first admin of this Regcred installation) can add members to any org.
        </p>
        <form action={signOutAction}>
          <button type="submit" className="btn">
            Sign out
          </button>
        </form>
      </section>
    </main>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInviteForm, JoinOrgButton } from "@/components/auth/accept-invite-form";
import { currentSession } from "@/lib/orgs/session-org";
import { runtime } from "@/lib/runtime";
import { findInvite, type InviteInfo } from "@/lib/users/invites";

export const metadata: Metadata = { title: "Accept invite", referrer: "no-referrer" };

/** An invite for an account that already has a password: only that account, signed in, can accept it. */
function ExistingAccount({
  invite,
  token,
  signedInAs,
}: {
  invite: InviteInfo;
  token: string;
  signedInAs: string | null;
}) {
  const mine = signedInAs === invite.email;
  return (
    <>
      <div>
        <h1>Join {invite.orgId}</h1>
        <p className="muted" style={{ margin: "4px 0 0" }}>
          {invite.email} is invited to the org {invite.orgName}. This account already exists, so its password stays as
          it is.
        </p>
      </div>
      {mine ? (
        <JoinOrgButton token={token} orgId={invite.orgId} />
      ) : (
        <>
          <p style={{ margin: 0 }}>
            To accept, sign in as {invite.email} with your password, then open this link again.
            {signedInAs ? ` You are signed in as ${signedInAs}.` : ""}
          </p>
          <Link href="/login">Go to sign in</Link>
        </>
      )}
    </>
  );
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { db } = (await runtime()).database;
  const invite = await findInvite(db, token);
  const session = invite?.existingAccount ? await currentSession(db) : null;
  return (
    <main className="auth-wrap">
      <section className="card auth-card stack">
        {invite?.existingAccount ? (
          <ExistingAccount invite={invite} token={token} signedInAs={session?.email ?? null} />
        ) : invite ? (
          <>
            <div>
              <h1>Join Regcred</h1>
              <p className="muted" style={{ margin: "4px 0 0" }}>
                Choose a name and password for {invite.email} to join {invite.orgName}.
              </p>
            </div>
            <AcceptInviteForm token={token} email={invite.email} />
          </>
        ) : (
          <>
            <h1>This invite link does not work</h1>
            <p className="muted" style={{ margin: 0 }}>
              It has expired or was already used. Ask an admin of your org for a new one.
            </p>
            <Link href="/login">Go to sign in</Link>
          </>
        )}
      </section>
    </main>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInviteForm } from "@/components/auth/accept-invite-form";
import { runtime } from "@/lib/runtime";
import { findInvite } from "@/lib/users/service";

export const metadata: Metadata = { title: "Accept invite", referrer: "no-referrer" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await findInvite((await runtime()).database.db, token);
  return (
    <main className="auth-wrap">
      <section className="card auth-card stack">
        {invite ? (
          <>
            <div>
              <h1>Join Regcred</h1>
              <p className="muted" style={{ margin: "4px 0 0" }}>Choose a name and password for {invite.email}.</p>
            </div>
            <AcceptInviteForm token={token} email={invite.email} />
          </>
        ) : (
          <>
            <h1>This invite link does not work</h1>
            <p className="muted" style={{ margin: 0 }}>It has expired or was already used. Ask an admin of your org for a new one.</p>
            <Link href="/login">Go to sign in</Link>
          </>
        )}
      </section>
    </main>
  );
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getSessionActor } from "@/lib/auth/current";
import { safeNextPath } from "@/lib/auth/sign-in-redirect";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function LoginPage({ searchParams }: Props) {
  // Only a path on this site: ?next=//evil.example or https://evil.example lands on the default page.
  const next = safeNextPath((await searchParams).next);
  if (await getSessionActor()) redirect(next);
  return (
    <main className="auth-wrap">
      <section className="card auth-card stack">
        <div>
          <h1>Sign in to Regcred</h1>
          <p className="muted" style={{ margin: "4px 0 0" }}>
            Registry credentials for your Kubernetes workloads.
          </p>
        </div>
        <SignInForm next={next} />
      </section>
    </main>
  );
}

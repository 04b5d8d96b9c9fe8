import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getSessionActor } from "@/lib/auth/current";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage() {
  if (await getSessionActor()) redirect("/registries");
  return (
    <main className="auth-wrap">
      <section className="card auth-card stack">
        <div>
          <h1>Sign in to Regcred</h1>
          <p className="muted" style={{ margin: "4px 0 0" }}>
            Registry credentials for your Kubernetes workloads.
          </p>
        </div>
        <SignInForm />
      </section>
    </main>
  );
}

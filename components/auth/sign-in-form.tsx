"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Field } from "@/components/ui/field";
import { signInAction } from "@/lib/auth/actions";

/** `next`: the page to open after sign-in, already checked to be a path on this site (safeNextPath). */
export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  // A corrected field loses its error; the summary goes with the last one.
  const edited = (name: string) => () => {
    if (!fields[name]) return;
    const { [name]: _, ...rest } = fields;
    setFields(rest);
    if (Object.keys(rest).length === 0) setError(null);
  };
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        start(async () => {
          const result = await signInAction({
            email: String(data.get("email") ?? ""),
            password: String(data.get("password") ?? ""),
          });
          if (result.ok) {
            router.replace(next);
            router.refresh();
            return;
          }
          setError(result.error.message);
          setFields(result.error.fields ?? {});
        });
      }}
    >
      <Field label="Email" error={fields.email}>
        <input type="email" name="email" autoComplete="username" required autoFocus onChange={edited("email")} />
      </Field>
      <Field label="Password" error={fields.password}>
        <input type="password" name="password" autoComplete="current-password" required onChange={edited("password")} />
      </Field>
      {error && !Object.keys(fields).length ? (
        <p role="alert" className="error" style={{ color: "var(--danger)", margin: 0 }}>
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={pending} style={{ justifyContent: "center" }}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

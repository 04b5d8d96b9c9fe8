"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Field } from "@/components/ui/field";
import type { FieldErrors } from "@/lib/errors";
import { acceptInviteAction } from "@/lib/users/actions";

export function AcceptInviteForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
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
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const name = String(data.get("name") ?? "");
        const password = String(data.get("password") ?? "");
        const local: FieldErrors = {};
        if (!name.trim()) local.name = "Name is required";
        if (password.length < 12) local.password = "Password must be at least 12 characters";
        setFields(local);
        setError(null);
        if (Object.keys(local).length > 0) return;
        start(async () => {
          const result = await acceptInviteAction({ token, name, password });
          if (result.ok) {
            router.replace("/registries");
            router.refresh();
            return;
          }
          setError(result.error.message);
          setFields(result.error.fields ?? {});
        });
      }}
    >
      <Field label="Email">
        <input type="email" name="email" value={email} autoComplete="username" readOnly />
      </Field>
      <Field label="Your name" required error={fields.name}>
        <input type="text" name="name" autoComplete="name" maxLength={120} autoFocus onChange={edited("name")} />
      </Field>
      <Field label="Password" required error={fields.password} hint="At least 12 characters.">
        <input
          type="password"
          name="password"
          autoComplete="new-password"
          minLength={12}
          onChange={edited("password")}
        />
      </Field>
      {error && !Object.keys(fields).length ? (
        <p role="alert" style={{ color: "var(--danger)", margin: 0 }}>
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={pending} style={{ justifyContent: "center" }}>
        {pending ? "Setting up…" : "Set password and sign in"}
      </button>
    </form>
  );
}

/** Accepting an invite as the signed-in owner of an existing account: joins the org, changes nothing else. */
export function JoinOrgButton({ token, orgId }: { token: string; orgId: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="stack">
      {error ? (
        <p role="alert" style={{ color: "var(--danger)", margin: 0 }}>
          {error}
        </p>
      ) : null}
      <button
        type="button"
        className="btn btn-primary"
        disabled={pending}
        style={{ justifyContent: "center" }}
        onClick={() =>
          start(async () => {
            const result = await acceptInviteAction({ token });
            if (!result.ok) {
              setError(result.error.message);
              return;
            }
            router.replace("/registries");
            router.refresh();
          })
        }
      >
        {pending ? "Joining…" : `Join ${orgId}`}
      </button>
    </div>
  );
}

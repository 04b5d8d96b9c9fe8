"use client";

import { useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { Dialog } from "@/components/ui/dialog";
import { FormDialog } from "@/components/ui/form-dialog";
import { Field } from "@/components/ui/field";
import { type Role, roleDescriptions, Roles } from "@/lib/auth/roles";
import type { FieldErrors } from "@/lib/errors";
import type { ActionResult } from "@/lib/result";
import { inviteUserAction } from "@/lib/users/actions";
import type { InviteResult } from "@/lib/users/schema";
import { SecretOnce } from "./secret-once";
import { Button } from "@/components/ui/button";

type Invite = (body: { email: string; role: Role }) => Promise<ActionResult<InviteResult>>;
type Props = { onClose: () => void; onInvited: () => void; invite?: Invite; title?: string };

export function InviteDone({ result, onClose }: { result: InviteResult; onClose: () => void }) {
  const done = (
    <Button variant="primary" onClick={onClose} autoFocus={!result.inviteToken}>
      Done
    </Button>
  );
  if (!result.inviteToken) {
    return (
      <Dialog open onClose={onClose} title={`${result.email} added`} footer={done}>
        <p style={{ margin: 0 }}>
          {result.email} already has a Regcred account and was added as <strong>{result.role}</strong>. No link is
          needed: they sign in with their own password and pick the org in the sidebar.
        </p>
      </Dialog>
    );
  }
  const link = `${window.location.origin}/invite/${result.inviteToken}`;
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Invite ${result.email}`}
      description={`Send this link to ${result.email}; it works once, for 7 days, lets them set a password and joins this org only. An earlier link for this org stops working.`}
      footer={done}
    >
      <SecretOnce
        label="Invite link"
        value={link}
        notice="Anyone with this link can join as this user, so send it privately."
      />
    </Dialog>
  );
}

export function InviteUserDialog({ onClose, onInvited, invite = inviteUserAction, title = "Invite a user" }: Props) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [result, setResult] = useState<InviteResult | null>(null);
  const [pending, start] = useTransition();

  const submit = () => {
    if (!email.trim()) {
      setErrors({ email: "Email is required" });
      return;
    }
    start(async () => {
      const res = await invite({ email: email.trim(), role });
      if (!res.ok) {
        setErrors(res.error.fields ?? {});
        toast.error(res.error.message);
        return;
      }
      setResult(res.data);
      toast.success(res.data.inviteToken ? `Invite for ${res.data.email} created` : `${res.data.email} added`);
      onInvited();
    });
  };

  if (result) return <InviteDone result={result} onClose={onClose} />;

  return (
    <FormDialog
      title={title}
      description="Someone without a Regcred account gets a one-time link to set a password and join; someone with an account is added straight away and signs in with their own password."
      submitLabel="Invite"
      pendingLabel="Inviting…"
      pending={pending}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field label="Email" required error={errors.email}>
        <input
          type="email"
          value={email}
          autoComplete="off"
          autoFocus
          onChange={(e) => {
            setEmail(e.target.value);
            setErrors(({ email: _, ...rest }) => rest);
          }}
        />
      </Field>
      <Field label="Role" error={errors.role} hint={roleDescriptions[role]}>
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {Roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </Field>
      {errors.body ? (
        <p role="alert" style={{ color: "var(--danger)", margin: 0 }}>
          {errors.body}
        </p>
      ) : null}
    </FormDialog>
  );
}

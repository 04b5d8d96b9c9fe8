"use client";

import { useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { Dialog } from "@/components/ui/dialog";
import { FormDialog } from "@/components/ui/form-dialog";
import { Field } from "@/components/ui/field";
import { type Role, roleDescriptions, Roles } from "@/lib/auth/roles";
import type { FieldErrors } from "@/lib/errors";
import { createTokenAction } from "@/lib/tokens/actions";
import { SecretOnce } from "./secret-once";
import { Button } from "@/components/ui/button";

type Props = { onClose: () => void; onCreated: () => void };

export function CreateTokenDialog({ onClose, onCreated }: Props) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [ci, setCi] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [pending, start] = useTransition();

  const submit = () => {
    if (!name.trim()) {
      setErrors({ name: "Name is required" });
      return;
    }
    start(async () => {
      const result = await createTokenAction({ name, role, ci });
      if (!result.ok) {
        setErrors(result.error.fields ?? {});
        toast.error(result.error.message);
        return;
      }
      setErrors({});
      setCreated({ name: result.data.view.name, token: result.data.token });
      toast.success(`Token ${result.data.view.name} created`);
      onCreated();
    });
  };

  if (created) {
    return (
      <Dialog
        open
        onClose={onClose}
        title={`Token ${created.name} created`}
        description="Send it as the header Authorization: Bearer <token>."
        footer={
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        }
      >
        <SecretOnce
          label="API token"
          value={created.token}
          notice="Regcred stores only a hash of it. Copy it now into your CI secrets or password manager."
        />
      </Dialog>
    );
  }

  return (
    <FormDialog
      title="Create an API token"
      description="Tokens call the REST API with the role you give them."
      submitLabel="Create token"
      pendingLabel="Creating…"
      pending={pending}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field label="Name" required error={errors.name} hint="Where it is used, e.g. “GitHub Actions deploy”.">
        <input
          type="text"
          value={name}
          maxLength={80}
          autoComplete="off"
          autoFocus
          onChange={(e) => {
            setName(e.target.value);
            setErrors(({ name: _, ...rest }) => rest);
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
      <div className="field">
        <label className="switch" style={{ fontWeight: 400 }}>
          <input
            type="checkbox"
            checked={ci}
            aria-describedby="token-ci-hint"
            onChange={(e) => setCi(e.target.checked)}
          />
          Allow CI credential reads
        </label>
        <span id="token-ci-hint" className="hint">
          Lets the token read registry credentials that are made available to CI.
        </span>
        {errors.ci ? (
          <span className="error" role="alert">
            {errors.ci}
          </span>
        ) : null}
      </div>
      {errors.body ? (
        <p role="alert" style={{ color: "var(--danger)", margin: 0 }}>
          {errors.body}
        </p>
      ) : null}
    </FormDialog>
  );
}

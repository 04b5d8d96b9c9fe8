"use client";

import { useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormDialog } from "@/components/ui/form-dialog";
import { Field } from "@/components/ui/field";
import { useCheckedForm } from "@/components/ui/use-checked-form";
import { createRegistryAction, updateRegistryAction } from "@/lib/registries/actions";
import { destinationChanges } from "@/lib/registries/destination";
import { emptyForm, type RegistryFormValues, toRequestBody, validateRegistryForm } from "@/lib/registries/form";
import type { RegistryView } from "@/lib/registries/repo";
import { type RegistryType, RegistryTypes, typeLabels, typeNouns } from "@/lib/registries/types";
import { CredentialFields, GcrUpload } from "./credential-fields";
import { SecretRefRows } from "./secret-ref-rows";
import { TypeIcon } from "./type-icon";

type Props = {
  mode: "create" | "edit";
  existing?: RegistryView;
  onClose: () => void;
  onSaved: () => void;
  extra?: (values: RegistryFormValues) => React.ReactNode;
};

const placeholders: Record<RegistryType, string> = {
  amazon_ecr: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
  google_gcr: "europe-docker.pkg.dev/my-project",
  azure_acr: "myregistry.azurecr.io",
  basic: "registry.example.com",
  public: "ghcr.io/acme",
  secret_ref: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/project",
};

/** The error keys an edit of each form value can fix or change. */
const affects: Record<keyof RegistryFormValues, (key: string) => boolean> = {
  id: (k) => k === "id",
  registry: (k) => ["registry", "region", "creds.username", "creds.password"].includes(k),
  region: (k) => ["region", "registry", "creds.username", "creds.password"].includes(k),
  username: (k) => k === "creds.username" || k === "creds",
  password: (k) => k === "creds.password" || k === "creds",
  caCert: (k) => k === "ca_cert",
  enableCi: (k) => k === "enable_ci",
  secrets: (k) => k.startsWith("secrets"),
  type: () => false,
};

function fromView(v: RegistryView): RegistryFormValues {
  return {
    ...emptyForm(v.type),
    id: v.id,
    registry: v.registry,
    enableCi: v.enableCi,
    region: v.region ?? "",
    secrets: v.secrets
      ? Object.entries(v.secrets).map(([cluster, s]) => ({ cluster, ...s }))
      : emptyForm(v.type).secrets,
  };
}

export function RegistryDialog({ mode, existing, onClose, onSaved, extra }: Props) {
  const [pending, start] = useTransition();
  const stored = mode === "edit" && Boolean(existing?.hasCredentials);
  const savedAt = existing ? { type: existing.type, registry: existing.registry, region: existing.region } : undefined;
  const form = useCheckedForm<RegistryFormValues>(
    () => (existing ? fromView(existing) : null),
    (v) => validateRegistryForm(v, stored, savedAt),
    (field, key) => affects[field](key),
  );
  const { values, errors, set, setErrors } = form;
  // Stored credentials only go where they were saved for: another host, type or region needs them typed again.
  const moved = Boolean(
    savedAt &&
    values &&
    destinationChanges(
      { ...savedAt, caCert: null },
      { type: values.type, registry: values.registry.trim(), region: values.region.trim() || null, caCert: null },
    ).length > 0,
  );

  const submit = () => {
    if (!values) return;
    const found = validateRegistryForm(values, stored, savedAt);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    start(async () => {
      const body = toRequestBody(values);
      const result =
        mode === "create" ? await createRegistryAction(body) : await updateRegistryAction(existing!.id, body);
      if (result.ok) {
        toast.success(mode === "create" ? `Registry ${result.data.id} added` : `Registry ${result.data.id} saved`);
        onSaved();
        return;
      }
      setErrors(result.error.fields ?? {});
      toast.error(result.error.message);
    });
  };

  if (!values) {
    return (
      <Dialog
        open
        onClose={onClose}
        title="Add a registry"
        description="Pick the kind of registry; the next step asks for what it needs."
        footer={<Button onClick={onClose}>Cancel</Button>}
      >
        <ul className="type-grid">
          {RegistryTypes.map((t) => (
            <li key={t}>
              <button type="button" className="type-option" onClick={() => form.start(emptyForm(t))}>
                <TypeIcon type={t} />
                <span>{typeLabels[t]}</span>
              </button>
            </li>
          ))}
        </ul>
      </Dialog>
    );
  }

  const title = mode === "create" ? `Add ${typeNouns[values.type]}` : `Edit registry ${existing!.id}`;
  return (
    <FormDialog
      title={title}
      submitLabel="Save"
      pendingLabel="Saving…"
      pending={pending}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field
        label="ID"
        required
        error={errors.id}
        hint={
          mode === "create"
            ? "Lowercase letters, digits and dashes; the secret will be named regcred-<id>."
            : "IDs cannot change."
        }
      >
        <input
          type="text"
          value={values.id}
          readOnly={mode === "edit"}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => set({ id: e.target.value })}
        />
      </Field>
      <Field label="URL" required error={errors.registry} hint="Host, optionally with a path prefix; no https://.">
        <input
          type="text"
          value={values.registry}
          placeholder={placeholders[values.type]}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => set({ registry: e.target.value })}
        />
      </Field>
      <CredentialFields values={values} errors={errors} stored={stored && !moved} set={set} />
      {values.type === "google_gcr" ? <GcrUpload onLoad={(text) => set({ password: text })} /> : null}
      {values.type === "amazon_ecr" ? (
        <Field
          label="Region (only for a non-standard host)"
          error={errors.region}
          hint="Taken from the URL for *.dkr.ecr.<region>.amazonaws.com."
        >
          <input
            type="text"
            value={values.region}
            placeholder="eu-west-1"
            onChange={(e) => set({ region: e.target.value })}
          />
        </Field>
      ) : null}
      {values.type === "secret_ref" ? (
        <SecretRefRows rows={values.secrets} errors={errors} onChange={(secrets) => set({ secrets })} />
      ) : null}
      {values.type !== "secret_ref" && values.type !== "public" ? (
        <details>
          <summary>Private CA certificate</summary>
          <Field
            label="CA certificate (PEM)"
            error={errors.ca_cert}
            hint={
              existing?.hasCaCert
                ? "A certificate is stored. Paste a new one to replace it."
                : "For registries served with a private CA."
            }
          >
            <textarea
              value={values.caCert}
              onChange={(e) => set({ caCert: e.target.value })}
              placeholder="-----BEGIN CERTIFICATE-----"
            />
          </Field>
        </details>
      ) : null}
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={values.enableCi}
          onChange={(e) => set({ enableCi: e.target.checked })}
        />
        Make credentials available to CI
      </label>
      {errors.body ? (
        <p role="alert" style={{ color: "var(--danger)", margin: 0 }}>
          {errors.body}
        </p>
      ) : null}
      {extra?.(values)}
    </FormDialog>
  );
}

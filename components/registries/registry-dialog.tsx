"use client";

import { useEffect, useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormDialog } from "@/components/ui/form-dialog";
import { Field } from "@/components/ui/field";
import { useCheckedForm } from "@/components/ui/use-checked-form";
import { orgAwsAction } from "@/lib/orgs/actions";
import type { OrgDetails } from "@/lib/orgs/schema";
import { createRegistryAction, updateRegistryAction } from "@/lib/registries/actions";
import { type Destination, destinationChanges } from "@/lib/registries/destination";
import {
  type AwsAuthMode,
  emptyForm,
  type RegistryFormValues,
  toRequestBody,
  usesKeys,
  validateRegistryForm,
} from "@/lib/registries/form";
import type { RegistryView } from "@/lib/registries/repo";
import { type RegistryType, RegistryTypes, typeLabels, typeNouns } from "@/lib/registries/types";
import { AwsAuthFields } from "./aws-auth-fields";
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
  awsAuth: (k) => ["creds.username", "creds.password", "aws_role_arn", "aws_use_external_id"].includes(k),
  awsRoleArn: (k) => k === "aws_role_arn" || k === "aws_use_external_id",
  awsUseExternalId: (k) => k === "aws_use_external_id" || k === "aws_role_arn",
  awsConfirmIdentity: (k) => k === "aws_role_arn" || k === "aws_use_external_id",
};

/** The org's external ID and whether it may use the server's AWS identity, read once the dialog opens. */
function useOrgAws(): OrgDetails | undefined {
  const [org, setOrg] = useState<OrgDetails>();
  useEffect(() => {
    let live = true;
    void orgAwsAction().then((res) => {
      if (live && res.ok) setOrg(res.data);
    });
    return () => {
      live = false;
    };
  }, []);
  return org;
}

function awsAuthOf(v: RegistryView): AwsAuthMode {
  if (v.awsRoleArn) return v.hasCredentials ? "role-keys" : "role-chain";
  return v.hasCredentials ? "keys" : "chain";
}

/** The form's destination, as destinationChanges compares it (the stored CA is not in the browser). */
function destinationOf(v: RegistryFormValues): Destination {
  const role = v.type === "amazon_ecr" && (v.awsAuth === "role-keys" || v.awsAuth === "role-chain");
  return {
    type: v.type,
    registry: v.registry.trim(),
    region: v.region.trim() || null,
    caCert: null,
    awsRoleArn: role ? v.awsRoleArn.trim() : null,
    awsUseExternalId: role && (v.awsAuth === "role-chain" || v.awsUseExternalId),
  };
}

function fromView(v: RegistryView): RegistryFormValues {
  return {
    ...emptyForm(v.type),
    id: v.id,
    registry: v.registry,
    enableCi: v.enableCi,
    region: v.region ?? "",
    awsAuth: v.type === "amazon_ecr" ? awsAuthOf(v) : "keys",
    awsRoleArn: v.awsRoleArn ?? "",
    awsUseExternalId: v.awsUseExternalId,
    secrets: v.secrets
      ? Object.entries(v.secrets).map(([cluster, s]) => ({ cluster, ...s }))
      : emptyForm(v.type).secrets,
  };
}

export function RegistryDialog({ mode, existing, onClose, onSaved, extra }: Props) {
  const [pending, start] = useTransition();
  const stored = mode === "edit" && Boolean(existing?.hasCredentials);
  const savedAt: Destination | undefined = existing
    ? {
        type: existing.type,
        registry: existing.registry,
        region: existing.region,
        awsRoleArn: existing.awsRoleArn,
        awsUseExternalId: existing.awsUseExternalId,
      }
    : undefined;
  const org = useOrgAws();
  const chainAllowed = org?.aws_default_chain ?? false;
  const form = useCheckedForm<RegistryFormValues>(
    () => (existing ? fromView(existing) : null),
    (v) => validateRegistryForm(v, stored, savedAt, chainAllowed),
    (field, key) => affects[field](key),
  );
  const { values, errors, set, setErrors } = form;
  // Stored credentials only go where they were saved for: another host, type, region or role needs them typed again.
  const changes = savedAt && values ? destinationChanges({ ...savedAt, caCert: null }, destinationOf(values)) : [];
  const moved = changes.length > 0;
  const keyless = values?.type === "amazon_ecr" && !usesKeys(values.awsAuth);
  const identityChanged =
    mode === "edit" && keyless && changes.some((c) => c === "aws_role_arn" || c === "aws_use_external_id");

  const submit = () => {
    if (!values) return;
    const found = validateRegistryForm(values, stored, savedAt, chainAllowed);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    start(async () => {
      const body = toRequestBody(values);
      // Going keyless drops the stored keys; a new role for a keyless registry is confirmed explicitly.
      const patch = {
        ...body,
        ...(keyless && existing?.hasCredentials ? { creds: null } : {}),
        ...(identityChanged ? { aws_confirm_identity: values.awsConfirmIdentity } : {}),
      };
      const result =
        mode === "create" ? await createRegistryAction(body) : await updateRegistryAction(existing!.id, patch);
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
      {values.type === "amazon_ecr" ? (
        <AwsAuthFields values={values} errors={errors} org={org} identityChanged={identityChanged} set={set} />
      ) : null}
      {values.type !== "amazon_ecr" || usesKeys(values.awsAuth) ? (
        <CredentialFields values={values} errors={errors} stored={stored && !moved} set={set} />
      ) : null}
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

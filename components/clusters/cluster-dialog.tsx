"use client";

import { useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { SecretOnce } from "@/components/settings/secret-once";
import { Dialog } from "@/components/ui/dialog";
import { FormDialog } from "@/components/ui/form-dialog";
import { Field } from "@/components/ui/field";
import { useCheckedForm } from "@/components/ui/use-checked-form";
import { createClusterAction, updateClusterAction } from "@/lib/clusters/actions";
import {
  type ClusterFormValues,
  clusterFormFrom,
  emptyClusterForm,
  toClusterBody,
  uniqueClusterName,
  validateClusterForm,
} from "@/lib/clusters/form";
import { type ClusterResponse, suggestClusterName, WiringModes, wiringModeLabels } from "@/lib/clusters/schema";
import { IGNORE_LABEL } from "@/lib/clusters/scope";
import { webhookAuthLabels, WebhookAuthModes } from "@/lib/clusters/webhook-auth";
import type { FieldErrors } from "@/lib/errors";
import { KubeconfigInput } from "./kubeconfig-input";

type Props = {
  mode: "create" | "edit";
  existing?: ClusterResponse;
  /** The org's clusters: a suggested name avoids theirs, and a context already added is pointed out. */
  clusters?: readonly ClusterResponse[];
  onClose: () => void;
  onSaved: () => void;
};

/** The error keys an edit of each form value can fix or change. */
const affects: Record<keyof ClusterFormValues, (key: string) => boolean> = {
  name: (k) => k === "name",
  nameEdited: () => false,
  kubeconfig: (k) => k === "kubeconfig" || k === "context",
  context: (k) => k === "context" || k === "kubeconfig" || k === "name",
  scopeMode: (k) => k === "namespace_selector",
  selector: (k) => k === "namespace_selector",
  exclude: (k) => k.startsWith("exclude_namespaces"),
  wiring: (k) => k === "wiring" || k.startsWith("webhook_") || k === "rotate_webhook_token",
  environmentLabel: (k) => k === "environment_label",
  restartStuckPods: (k) => k === "restart_stuck_pods",
  nodeCredentialImages: (k) => k.startsWith("node_credential_images"),
  secretRefNamespaces: (k) => k.startsWith("secret_ref_namespaces"),
  webhookAuth: (k) => k.startsWith("webhook_") || k === "rotate_webhook_token",
  webhookClientCa: (k) => k === "webhook_client_ca",
  rotateWebhookToken: (k) => k === "rotate_webhook_token",
};

/** The error of a list field: on the list itself, else on its first bad entry (`key.N`). */
function errorAt(errors: FieldErrors, key: string): string | undefined {
  return errors[key] ?? Object.entries(errors).find(([k]) => k.startsWith(`${key}.`))?.[1];
}

/** What every section of the cluster form gets: the values, the field errors and a setter. */
type SectionProps = {
  values: ClusterFormValues;
  errors: FieldErrors;
  set: (p: Partial<ClusterFormValues>) => void;
};

function ScopeFields({ values, errors, set }: SectionProps) {
  return (
    <fieldset
      className="stack"
      style={{ gap: 10, border: "1px solid var(--border)", borderRadius: 8, padding: 12, margin: 0 }}
    >
      <legend style={{ fontWeight: 600, fontSize: 13 }}>Namespace scope</legend>
      <label className="switch">
        <input
          type="radio"
          name="scope-mode"
          checked={values.scopeMode === "all"}
          onChange={() => set({ scopeMode: "all" })}
        />
        All namespaces
      </label>
      <label className="switch">
        <input
          type="radio"
          name="scope-mode"
          checked={values.scopeMode === "selector"}
          onChange={() => set({ scopeMode: "selector" })}
        />
        Namespaces matching a label selector
      </label>
      {values.scopeMode === "selector" ? (
        <Field
          label="Label selector"
          required
          error={errors.namespace_selector}
          hint="For example team=payments,env in (prod,staging)."
        >
          <input
            type="text"
            value={values.selector}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => set({ selector: e.target.value })}
          />
        </Field>
      ) : null}
      <Field
        label="Except these namespaces"
        error={errorAt(errors, "exclude_namespaces")}
        hint={
          <>
            Comma-separated. A namespace labelled <code>{IGNORE_LABEL}=true</code> is always left alone.
          </>
        }
      >
        <input
          type="text"
          value={values.exclude}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => set({ exclude: e.target.value })}
        />
      </Field>
    </fieldset>
  );
}

function WiringFields({ values, errors, set }: SectionProps) {
  return (
    <fieldset
      className="stack"
      style={{ gap: 10, border: "1px solid var(--border)", borderRadius: 8, padding: 12, margin: 0 }}
    >
      <legend style={{ fontWeight: 600, fontSize: 13 }}>Pull-secret wiring</legend>
      <Field
        label="How pods get imagePullSecrets"
        error={errors.wiring}
        hint={wiringModeLabels[values.wiring].explanation}
      >
        <select value={values.wiring} onChange={(e) => set({ wiring: e.target.value as ClusterFormValues["wiring"] })}>
          {WiringModes.map((m) => (
            <option key={m} value={m}>
              {wiringModeLabels[m].label}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Environment from namespace label"
        error={errors.environment_label}
        hint="Optional label key, e.g. example.com/env. Empty: the environment is <cluster>.<namespace>."
      >
        <input
          type="text"
          value={values.environmentLabel}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => set({ environmentLabel: e.target.value })}
        />
      </Field>
      <label className="switch">
        <input
          type="checkbox"
          checked={values.restartStuckPods}
          onChange={(e) => set({ restartStuckPods: e.target.checked })}
        />
        Restart controller-owned Pods stuck in ImagePullBackOff once their secret exists
      </label>
      <Field
        label="Images the nodes pull with their own credentials"
        error={errorAt(errors, "node_credential_images")}
        hint="Optional matchImages globs of a kubelet credential provider (e.g. *.dkr.ecr.*.amazonaws.com), separated by spaces or commas. Readiness reports those images as unknown, never as failing."
      >
        <input
          type="text"
          value={values.nodeCredentialImages}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => set({ nodeCredentialImages: e.target.value })}
        />
      </Field>
    </fieldset>
  );
}

function WebhookAuthFields({ values, errors, set, tokenSet }: SectionProps & { tokenSet: boolean }) {
  return (
    <>
      <Field
        label="Webhook caller authentication"
        error={errors.webhook_auth}
        hint={webhookAuthLabels[values.webhookAuth].explanation}
      >
        <select
          value={values.webhookAuth}
          onChange={(e) => set({ webhookAuth: e.target.value as ClusterFormValues["webhookAuth"] })}
        >
          {WebhookAuthModes.map((m) => (
            <option key={m} value={m}>
              {webhookAuthLabels[m].label}
            </option>
          ))}
        </select>
      </Field>
      {values.webhookAuth === "mtls" ? (
        <Field
          label="Client CA (PEM)"
          required
          error={errors.webhook_client_ca}
          hint="The CA that signs the client certificate the API server presents (its AdmissionConfiguration kubeconfig)."
        >
          <textarea
            rows={4}
            value={values.webhookClientCa}
            spellCheck={false}
            onChange={(e) => set({ webhookClientCa: e.target.value })}
          />
        </Field>
      ) : null}
      {values.webhookAuth === "token" && tokenSet ? (
        <label className="switch">
          <input
            type="checkbox"
            checked={values.rotateWebhookToken}
            onChange={(e) => set({ rotateWebhookToken: e.target.checked })}
          />
          Generate a new webhook token (the current one stops working)
        </label>
      ) : null}
    </>
  );
}

function SecurityFields({ values, errors, set }: SectionProps) {
  return (
    <Field
      label="secret_ref source namespaces"
      error={errorAt(errors, "secret_ref_namespaces")}
      hint="Comma-separated. secret_ref registries may copy kubernetes.io/dockerconfigjson secrets only from these namespaces of this cluster; empty: none."
    >
      <input
        type="text"
        value={values.secretRefNamespaces}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => set({ secretRefNamespaces: e.target.value })}
      />
    </Field>
  );
}

function TokenIssued({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  return (
    <Dialog
      open
      onClose={onDone}
      title={`Webhook token for ${name}`}
      description="The API server sends it as Authorization: Bearer to Regcred's admission webhook (see docs/webhook-auth.md)."
      footer={
        <button type="button" className="btn btn-primary" onClick={onDone}>
          Done
        </button>
      }
    >
      <SecretOnce
        label="Webhook token"
        value={token}
        notice="Regcred stores it encrypted and never shows it again. Put it in the API server's AdmissionConfiguration kubeconfig now."
      />
    </Dialog>
  );
}

/** Where the name came from, while the user has not typed one: the context, made unique among the clusters. */
function suggestedNameHint(context: string, name: string): string {
  const base = suggestClusterName(context);
  const taken = base === name ? "" : ` (a cluster named ${base} exists, so ${name})`;
  return `Suggested from the context ${context}${taken}; change it if you like. `;
}

export function ClusterDialog({ mode, existing, clusters = [], onClose, onSaved }: Props) {
  const names = clusters.map((c) => c.name);
  const form = useCheckedForm<ClusterFormValues>(
    () => (existing ? clusterFormFrom(existing) : emptyClusterForm()),
    (v) => validateClusterForm(v, mode),
    (field, key) => affects[field](key),
    (before, after) =>
      after.context !== before.context && after.context && !before.nameEdited
        ? { ...after, name: uniqueClusterName(suggestClusterName(after.context), names) }
        : after,
  );
  const values = form.values!;
  const { errors, set, setErrors } = form;
  const [pending, start] = useTransition();
  const [issued, setIssued] = useState<{ name: string; token: string } | null>(null);

  const submit = () => {
    const found = validateClusterForm(values, mode);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    start(async () => {
      const result =
        mode === "create"
          ? await createClusterAction(toClusterBody(values, "create"))
          : await updateClusterAction(existing!.id, toClusterBody(values, "edit"));
      if (result.ok) {
        toast.success(mode === "create" ? `Cluster ${result.data.name} added` : `Cluster ${result.data.name} saved`);
        if (result.data.webhook_token) setIssued({ name: result.data.name, token: result.data.webhook_token });
        else onSaved();
        return;
      }
      setErrors(result.error.fields ?? {});
      toast.error(result.error.message);
    });
  };

  if (issued) return <TokenIssued name={issued.name} token={issued.token} onDone={onSaved} />;

  const kubeconfig = (
    <KubeconfigInput
      kubeconfig={values.kubeconfig}
      context={values.context}
      errors={{ kubeconfig: errors.kubeconfig, context: errors.context }}
      addedAs={(context, server) =>
        clusters.find((c) => c.source === "kubeconfig" && c.context === context && c.server === server)?.name ?? null
      }
      hint="Paste it or upload the file. Only the chosen context is kept, encrypted. Exec plugins and auth providers are not supported."
      onChange={set}
    />
  );
  return (
    <FormDialog
      title={mode === "create" ? "Add a cluster" : `Edit cluster ${existing?.name}`}
      description={
        mode === "create"
          ? "Regcred writes pull secrets into this cluster's namespaces with the credentials of the context you choose."
          : undefined
      }
      submitLabel="Save"
      pendingLabel="Saving…"
      pending={pending}
      onSubmit={submit}
      onClose={onClose}
    >
      {mode === "create" ? kubeconfig : null}
      <Field
        label="Name"
        required
        error={errors.name}
        hint={`${
          mode === "create" && !values.nameEdited && values.context
            ? suggestedNameHint(values.context, values.name)
            : ""
        }The key secret_ref registries use for this cluster: lowercase letters, digits, '-' and '.'.`}
      >
        <input
          type="text"
          value={values.name}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => set({ name: e.target.value, nameEdited: true })}
        />
      </Field>
      <ScopeFields values={values} errors={errors} set={set} />
      <WiringFields values={values} errors={errors} set={set} />
      {values.wiring === "webhook" ? (
        <WebhookAuthFields
          values={values}
          errors={errors}
          set={set}
          tokenSet={existing?.wiring === "webhook" && existing.webhook_token_set}
        />
      ) : null}
      <SecurityFields values={values} errors={errors} set={set} />
      {mode === "edit" && existing?.source === "kubeconfig" ? (
        <details>
          <summary>Replace the kubeconfig</summary>
          <div className="stack" style={{ marginTop: 10 }}>
            {kubeconfig}
          </div>
        </details>
      ) : null}
      {errors.body ? (
        <p role="alert" style={{ color: "var(--danger)", margin: 0 }}>
          {errors.body}
        </p>
      ) : null}
    </FormDialog>
  );
}

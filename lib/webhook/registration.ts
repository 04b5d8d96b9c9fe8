import "server-only";
import { connectionOf } from "@/lib/clusters/client";
import { type ClusterRow, scopeOf } from "@/lib/clusters/repo";
import type { Keyring } from "@/lib/crypto/secret-box";
import type { KubeResult } from "@/lib/integrations/kube";
import { type AdmissionMethods, type ApplyOutcome, connectAdmission } from "@/lib/integrations/kube/admission";
import { describeError, log } from "@/lib/log";
import { CLUSTER_ID_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "@/lib/sync/labels";
import type { WiringMode } from "@/lib/sync/wiring-modes";
import { buildWebhookConfiguration, type WebhookEndpoint, webhookConfigurationName } from "./configuration";

export type RegistrationOptions = { timeoutMs?: number; admission?: AdmissionMethods };

function admissionFor(
  keyring: Keyring,
  cluster: ClusterRow,
  opts: RegistrationOptions,
): AdmissionMethods | KubeResult<never> {
  if (opts.admission) return opts.admission;
  try {
    return connectAdmission(connectionOf(keyring, cluster), { timeoutMs: opts.timeoutMs });
  } catch (err) {
    log.warn("webhook: a cluster's stored credentials could not be opened", {
      cluster: cluster.id,
      ...describeError(err),
    });
    return {
      ok: false,
      error: {
        kind: "invalid",
        message: "the stored credentials could not be decrypted (was the encryption key changed?)",
      },
    };
  }
}

const isFailure = (v: AdmissionMethods | KubeResult<never>): v is KubeResult<never> => "ok" in v;
const ours = (labels: Record<string, string>, clusterId: string) =>
  labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && labels[CLUSTER_ID_LABEL] === clusterId;

/**
 * Creates or updates the cluster's MutatingWebhookConfiguration (`regcred-<cluster id prefix>`) pointing at
 * `endpoint`; idempotent. A configuration of that name that Regcred did not create is left alone (`conflict`).
 */
export async function registerWebhook(
  keyring: Keyring,
  cluster: ClusterRow,
  endpoint: WebhookEndpoint,
  installation: string,
  opts: RegistrationOptions = {},
): Promise<KubeResult<ApplyOutcome>> {
  const admission = admissionFor(keyring, cluster, opts);
  if (isFailure(admission)) return admission;
  // Like every object Regcred writes, it carries this installation and the cluster's org.
  const wanted = buildWebhookConfiguration(cluster.id, scopeOf(cluster), endpoint, {
    installation,
    org: cluster.orgId,
  });
  const existing = await admission.getMutatingWebhookConfiguration(wanted.name);
  if (existing.ok && !ours(existing.value.labels, cluster.id)) {
    return {
      ok: false,
      error: {
        kind: "conflict",
        message: `MutatingWebhookConfiguration ${wanted.name} exists and is not managed by Regcred for this cluster`,
      },
    };
  }
  if (!existing.ok && existing.error.kind !== "not-found") return existing;
  return admission.applyMutatingWebhookConfiguration(wanted);
}

/** Removes the cluster's MutatingWebhookConfiguration if Regcred made it; `absent` when there was none. */
export async function unregisterWebhook(
  keyring: Keyring,
  cluster: ClusterRow,
  opts: RegistrationOptions = {},
): Promise<KubeResult<"deleted" | "absent">> {
  const admission = admissionFor(keyring, cluster, opts);
  if (isFailure(admission)) return admission;
  const name = webhookConfigurationName(cluster.id);
  const existing = await admission.getMutatingWebhookConfiguration(name);
  if (!existing.ok) return existing.error.kind === "not-found" ? { ok: true, value: "absent" } : existing;
  if (!ours(existing.value.labels, cluster.id)) return { ok: true, value: "absent" };
  const deleted = await admission.deleteMutatingWebhookConfiguration(name);
  if (!deleted.ok) return deleted.error.kind === "not-found" ? { ok: true, value: "absent" } : deleted;
  return { ok: true, value: "deleted" };
}

/** Registers the webhook when the cluster's wiring is `webhook`, removes it otherwise: call whenever a cluster's sync settings are (re)loaded. */
export async function syncWebhookRegistration(
  keyring: Keyring,
  cluster: ClusterRow,
  wiring: WiringMode,
  endpoint: WebhookEndpoint,
  installation: string,
  opts: RegistrationOptions = {},
): Promise<KubeResult<ApplyOutcome | "deleted" | "absent">> {
  return wiring === "webhook"
    ? registerWebhook(keyring, cluster, endpoint, installation, opts)
    : unregisterWebhook(keyring, cluster, opts);
}

import "server-only";
import type { KubeClient, KubeError, KubeSecret, KubeServiceAccount } from "../integrations/kube";
import type { CachedContents } from "../sync/signal";
import type { Workload } from "@/lib/integrations/kube/workloads";
import { podSpecOf } from "../sync/workload-images";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, REGISTRY_LABEL } from "../sync/labels";
import { DOCKERCONFIGJSON_TYPE } from "../images/dockerconfig";
import type { Result } from "../result";
import type { PullSecretUser, SecretObject, WorkloadObject } from "./rows";

export type Inventory = {
  secrets: SecretObject[];
  serviceAccounts: PullSecretUser[];
  workloads: WorkloadObject[];
  warnings: string[];
};
export type InventoryResult = Result<Inventory, string>;

/** Every dockerconfigjson secret (regcred-* ones are picked later), across all namespaces. */
export const PULL_SECRETS_SELECTOR = { fieldSelector: `type=${DOCKERCONFIGJSON_TYPE}` };
/** Regcred's secrets of other types (secret_ref copies keep their source's type). */
export const OTHER_MANAGED_SELECTOR = {
  labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${REGISTRY_LABEL}`,
  fieldSelector: `type!=${DOCKERCONFIGJSON_TYPE}`,
};

const kindWords: Record<KubeError["kind"], string> = {
  unreachable: "unreachable",
  unauthorized: "credentials rejected",
  forbidden: "forbidden",
  "not-found": "not found",
  conflict: "conflict",
  invalid: "unusable connection details",
};

export function describeKubeError(error: KubeError): string {
  return `${kindWords[error.kind]}: ${error.message}`;
}

function toSecretObject(s: KubeSecret): SecretObject {
  return { namespace: s.namespace, name: s.name, type: s.type, labels: s.labels, data: s.data, createdAt: s.createdAt };
}

// Pods of a ReplicaSet and ReplicaSets of a Deployment repeat their owner's template: only top-level objects are listed.
function toWorkloadObject(w: Workload): WorkloadObject | null {
  if (w.metadata.ownerReferences?.some((o) => o.controller)) return null;
  const refs = podSpecOf(w).imagePullSecrets ?? [];
  return {
    kind: w.kind,
    namespace: w.metadata.namespace ?? "",
    name: w.metadata.name,
    imagePullSecrets: refs.map((r) => r.name ?? "").filter(Boolean),
  };
}

/** The inventory from what the in-process controller's cache holds (no API request). */
export function inventoryFromCache(c: CachedContents): Inventory {
  return {
    secrets: c.secrets.map(toSecretObject),
    serviceAccounts: c.serviceAccounts.map(toPullSecretUser),
    workloads: c.workloads.flatMap((w) => toWorkloadObject(w) ?? []),
    warnings: [],
  };
}

const toPullSecretUser = (sa: KubeServiceAccount): PullSecretUser => ({
  namespace: sa.namespace,
  name: sa.name,
  imagePullSecrets: sa.imagePullSecrets,
});

/**
 * One refresh of one cluster without the controller's cache: two secret LISTs (dockerconfigjson by field selector, Regcred's other
 * types by label selector), one ServiceAccount LIST and the workload LISTs, all across all namespaces
 * and in parallel. Secrets failing fails the cluster; references failing is a warning.
 */
export async function readInventory(client: KubeClient): Promise<InventoryResult> {
  const [pull, other, serviceAccounts, workloads] = await Promise.all([
    client.listSecrets(PULL_SECRETS_SELECTOR),
    client.listSecrets(OTHER_MANAGED_SELECTOR),
    client.listServiceAccounts(),
    client.listWorkloads(),
  ]);
  if (!pull.ok) return { ok: false, error: describeKubeError(pull.error) };
  const warnings: string[] = [];
  if (!other.ok)
    warnings.push(
      `Regcred's secrets of other types (secret_ref copies) could not be listed: ${describeKubeError(other.error)}`,
    );
  if (!serviceAccounts.ok)
    warnings.push(
      `ServiceAccounts could not be listed, so their references are missing: ${describeKubeError(serviceAccounts.error)}`,
    );
  if (!workloads.ok)
    warnings.push(
      `workloads could not be listed, so their references are missing: ${describeKubeError(workloads.error)}`,
    );
  return {
    ok: true,
    value: {
      secrets: [...pull.value, ...(other.ok ? other.value : [])].map(toSecretObject),
      serviceAccounts: serviceAccounts.ok ? serviceAccounts.value.map(toPullSecretUser) : [],
      workloads: workloads.ok ? workloads.value.flatMap((w) => toWorkloadObject(w) ?? []) : [],
      warnings,
    },
  };
}

/** Resolves to the inventory, or to an error once `ms` have passed (the cluster's LISTs are abandoned, not awaited). */
export async function readInventoryWithin(client: KubeClient, ms: number): Promise<InventoryResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<InventoryResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `unreachable: no complete answer within ${ms} ms` }), ms);
  });
  try {
    return await Promise.race([readInventory(client), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

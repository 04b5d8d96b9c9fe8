import type { Workload } from "@/lib/integrations/kube/workloads";
import { DEFAULT_NAMESPACE } from "@/lib/sync/labels";

const keyOf = (namespace: string, kind: string, name: string) => `${namespace}/${kind}/${name}`;
const namespaceOf = (w: Workload) => w.metadata.namespace ?? DEFAULT_NAMESPACE;

/** The workload's controller owner, when the cache holds it (a Pod's ReplicaSet, a ReplicaSet's Deployment, a Job's CronJob). */
function controllerOf(w: Workload, byKey: ReadonlyMap<string, Workload>): Workload | null {
  const ref = w.metadata.ownerReferences?.find((o) => o.controller === true);
  return ref ? (byKey.get(keyOf(namespaceOf(w), ref.kind, ref.name)) ?? null) : null;
}

export type OwnerIndex = {
  /** The workloads a user sees: those without a controller owner the cache holds. */
  top: Workload[];
  /** The top owner of any workload (itself when it has none). */
  topOf: (w: Workload) => Workload;
};

/** Groups Pods under their ReplicaSet's Deployment (or Job's CronJob, …) so each workload is shown once, under its top owner. */
export function indexOwners(workloads: readonly Workload[]): OwnerIndex {
  const byKey = new Map(workloads.map((w) => [keyOf(namespaceOf(w), w.kind, w.metadata.name), w]));
  const topOf = (w: Workload): Workload => {
    let current = w;
    // Owner chains are at most Pod → ReplicaSet → Deployment; the bound guards a cycle in hand-made objects.
    for (let i = 0; i < 4; i++) {
      const owner = controllerOf(current, byKey);
      if (!owner) break;
      current = owner;
    }
    return current;
  };
  return { top: workloads.filter((w) => controllerOf(w, byKey) === null), topOf };
}

export function workloadKey(w: Workload): string {
  return keyOf(namespaceOf(w), w.kind, w.metadata.name);
}

import type { WatchKind } from "./types";

type Resource = { prefix: string; plural: string; clusterScoped?: boolean };

export const resources: Record<WatchKind | "Lease", Resource> = {
  Namespace: { prefix: "/api/v1", plural: "namespaces", clusterScoped: true },
  Pod: { prefix: "/api/v1", plural: "pods" },
  ServiceAccount: { prefix: "/api/v1", plural: "serviceaccounts" },
  Secret: { prefix: "/api/v1", plural: "secrets" },
  Deployment: { prefix: "/apis/apps/v1", plural: "deployments" },
  StatefulSet: { prefix: "/apis/apps/v1", plural: "statefulsets" },
  DaemonSet: { prefix: "/apis/apps/v1", plural: "daemonsets" },
  ReplicaSet: { prefix: "/apis/apps/v1", plural: "replicasets" },
  Job: { prefix: "/apis/batch/v1", plural: "jobs" },
  CronJob: { prefix: "/apis/batch/v1", plural: "cronjobs" },
  Lease: { prefix: "/apis/coordination.k8s.io/v1", plural: "leases" },
};

export const WORKLOAD_KINDS = [
  "Pod",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "Job",
  "CronJob",
] as const;

/** `/apis/apps/v1/namespaces/ns/deployments/name`; without a namespace, the all-namespaces collection. */
export function pathFor(kind: keyof typeof resources, namespace?: string, name?: string): string {
  const r = resources[kind];
  const ns = namespace && !r.clusterScoped ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${r.prefix}${ns}/${r.plural}${name ? `/${encodeURIComponent(name)}` : ""}`;
}

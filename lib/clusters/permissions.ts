import type { Permission } from "./schema";

type Grant = { verbs: string[]; group: string; resources: string[]; home?: boolean };

// `home`: checked in the cluster's own namespace (Regcred's leader-election lease lives there), not cluster-wide.
const grants: Grant[] = [
  { verbs: ["list", "watch"], group: "", resources: ["namespaces", "pods", "serviceaccounts"] },
  { verbs: ["list", "watch"], group: "apps", resources: ["deployments", "statefulsets", "daemonsets", "replicasets"] },
  { verbs: ["list", "watch"], group: "batch", resources: ["jobs", "cronjobs"] },
  { verbs: ["get", "list", "watch", "create", "update", "patch", "delete"], group: "", resources: ["secrets"] },
  { verbs: ["get", "update", "patch"], group: "", resources: ["serviceaccounts"] },
  { verbs: ["get", "create", "update"], group: "coordination.k8s.io", resources: ["leases"], home: true },
  { verbs: ["create", "update"], group: "admissionregistration.k8s.io", resources: ["mutatingwebhookconfigurations"] },
];

/** Every permission Regcred needs in a cluster, one entry per verb and resource. */
export function requiredPermissions(homeNamespace: string): Permission[] {
  return grants.flatMap((g) =>
    g.resources.flatMap((resource) =>
      g.verbs.map((verb) => ({ verb, group: g.group, resource, ...(g.home ? { namespace: homeNamespace } : {}) })),
    ),
  );
}

/** "list namespaces", "create leases.coordination.k8s.io in regcred". */
export function describePermission(p: Permission): string {
  return `${p.verb} ${p.resource}${p.group ? `.${p.group}` : ""}${p.namespace ? ` in ${p.namespace}` : ""}`;
}

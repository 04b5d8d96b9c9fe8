import "server-only";
import { filterNamespaces, type NamespaceScope } from "@/lib/clusters/scope";
import type {
  KubeClient,
  KubeError,
  KubeNamespace,
  KubeResult,
  KubeSecret,
  KubeServiceAccount,
} from "@/lib/integrations/kube";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, SECRET_NAME_PREFIX } from "@/lib/sync/labels";
import { type PodPullState, podPullStates } from "@/lib/sync/stuck-pods";
import { extractAllWorkloadImages, type WorkloadImages } from "@/lib/sync/workload-images";

export const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;

/** What a pass reads from a cluster: one LIST per kind across all namespaces, restricted to the cluster's scope. */
export type ClusterState = {
  namespaces: KubeNamespace[];
  workloads: WorkloadImages[];
  serviceAccounts: KubeServiceAccount[];
  /** Pods in scope waiting on an image pull (ImagePullBackOff, ErrImagePull), from the same Pod LIST. */
  pods: PodPullState[];
  /** Regcred's secrets (by label) in scope. */
  managed: KubeSecret[];
  /** resourceVersions of ServiceAccounts and workloads by `Kind/namespace/name`: write preconditions. */
  versions: Map<string, string | null>;
};

export type Observed = { ok: true; state: ClusterState } | { ok: false; step: string; error: KubeError };

export async function observeCluster(client: KubeClient, scope: NamespaceScope): Promise<Observed> {
  const [namespaces, workloads, serviceAccounts, managed] = await Promise.all([
    client.listNamespaces(scope.namespaceSelector ?? undefined),
    client.listWorkloads(),
    client.listServiceAccounts(),
    client.listSecrets({ labelSelector: MANAGED_SELECTOR }),
  ]);
  if (!namespaces.ok) return { ok: false, step: "list namespaces", error: namespaces.error };
  if (!workloads.ok) return { ok: false, step: "list workloads", error: workloads.error };
  if (!serviceAccounts.ok) return { ok: false, step: "list serviceaccounts", error: serviceAccounts.error };
  if (!managed.ok) return { ok: false, step: "list secrets", error: managed.error };
  const included = new Set(filterNamespaces(scope, namespaces.value).included);
  // Terminating namespaces accept no new objects.
  const inScope = namespaces.value.filter((ns) => included.has(ns.name) && ns.phase !== "Terminating");
  const names = new Set(inScope.map((ns) => ns.name));
  const versions = new Map<string, string | null>();
  for (const w of workloads.value)
    versions.set(`${w.kind}/${w.metadata.namespace}/${w.metadata.name}`, w.metadata.resourceVersion ?? null);
  for (const sa of serviceAccounts.value) versions.set(`ServiceAccount/${sa.namespace}/${sa.name}`, sa.resourceVersion);
  return {
    ok: true,
    state: {
      namespaces: inScope,
      workloads: extractAllWorkloadImages(workloads.value).filter((w) => names.has(w.namespace)),
      serviceAccounts: serviceAccounts.value.filter((sa) => names.has(sa.namespace)),
      pods: podPullStates(workloads.value).filter((p) => names.has(p.namespace)),
      managed: managed.value.filter((s) => names.has(s.namespace)),
      versions,
    },
  };
}

/**
 * Secrets with Regcred's names that a pass may touch or reference, whoever owns them: one LIST per name
 * (field selector, all namespaces), so foreign `regcred-*` secrets are seen before anything is written.
 */
export async function findNamedSecrets(
  client: KubeClient,
  names: Iterable<string>,
  namespaces: ReadonlySet<string>,
): Promise<{ ok: true; secrets: KubeSecret[] } | { ok: false; error: KubeError }> {
  const wanted = [...new Set(names)].filter((n) => n.startsWith(SECRET_NAME_PREFIX)).sort();
  const results = await Promise.all(
    wanted.map((name) => client.listSecrets({ fieldSelector: `metadata.name=${name}` })),
  );
  const secrets: KubeSecret[] = [];
  for (const r of results) {
    if (!r.ok) return { ok: false, error: r.error };
    secrets.push(...r.value.filter((s) => namespaces.has(s.namespace)));
  }
  return { ok: true, secrets };
}

export type NamedSecrets = { ok: true; secrets: KubeSecret[] } | { ok: false; error: KubeError };

/** Where a pass reads the cluster: the manager's watch-fed cache, or (without one) LISTs sent for this pass. */
export type ClusterReader = {
  /** Every namespace in scope, or only those of `only`. */
  observe(scope: NamespaceScope, only?: ReadonlySet<string>): Promise<Observed>;
  /** Secrets with Regcred's names in these namespaces, whoever owns them. */
  namedSecrets(names: Iterable<string>, namespaces: ReadonlySet<string>): Promise<NamedSecrets>;
  /** One secret (a secret_ref source). */
  readSecret(namespace: string, name: string): Promise<KubeResult<KubeSecret>>;
};

/** A reader without a cache: one LIST per kind for each pass, one LIST per candidate secret name. */
export function listingReader(client: KubeClient): ClusterReader {
  return {
    observe: async (scope, only) => {
      const observed = await observeCluster(client, scope);
      if (!observed.ok || !only) return observed;
      const keep = <T extends { namespace: string }>(items: T[]) => items.filter((i) => only.has(i.namespace));
      const { state } = observed;
      return {
        ok: true,
        state: {
          ...state,
          namespaces: state.namespaces.filter((ns) => only.has(ns.name)),
          workloads: keep(state.workloads),
          serviceAccounts: keep(state.serviceAccounts),
          pods: keep(state.pods),
          managed: keep(state.managed),
        },
      };
    },
    namedSecrets: (names, namespaces) => findNamedSecrets(client, names, namespaces),
    readSecret: (namespace, name) => client.getSecret(namespace, name),
  };
}

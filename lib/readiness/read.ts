import "server-only";
import { decideNamespace, type NamespaceScope } from "@/lib/clusters/scope";
import type { KubeClient, KubeSecret } from "@/lib/integrations/kube";
import { describeKubeError, OTHER_MANAGED_SELECTOR, PULL_SECRETS_SELECTOR } from "@/lib/secrets/inventory";
import { fail, ok, type Result } from "@/lib/result";
import { type CachedContents, cachedClusterContents } from "@/lib/sync/signal";

/** The cluster's objects in the namespaces of its scope, as readiness needs them. */
export type ReadinessObjects = Pick<CachedContents, "workloads" | "serviceAccounts" | "secrets">;

function inScope(contents: CachedContents, scope: NamespaceScope): ReadinessObjects {
  const names = new Set(
    contents.namespaces
      .filter((ns) => ns.phase !== "Terminating" && decideNamespace(scope, ns).inScope)
      .map((ns) => ns.name),
  );
  const here = (namespace: string | undefined) => names.has(namespace ?? "default");
  return {
    workloads: contents.workloads.filter((w) => here(w.metadata.namespace)),
    serviceAccounts: contents.serviceAccounts.filter((sa) => here(sa.namespace)),
    secrets: contents.secrets.filter((s) => here(s.namespace)),
  };
}

/** One LIST per kind across all namespaces (the path when this process has no controller cache of the cluster). */
async function listContents(client: KubeClient): Promise<Result<CachedContents, string>> {
  const [namespaces, pull, other, serviceAccounts, workloads] = await Promise.all([
    client.listNamespaces(),
    client.listSecrets(PULL_SECRETS_SELECTOR),
    client.listSecrets(OTHER_MANAGED_SELECTOR),
    client.listServiceAccounts(),
    client.listWorkloads(),
  ]);
  for (const r of [namespaces, pull, other, serviceAccounts, workloads])
    if (!r.ok) return fail(describeKubeError(r.error));
  const secrets: KubeSecret[] = [...(pull.ok ? pull.value : []), ...(other.ok ? other.value : [])];
  return ok({
    namespaces: namespaces.ok ? namespaces.value : [],
    secrets,
    serviceAccounts: serviceAccounts.ok ? serviceAccounts.value : [],
    workloads: workloads.ok ? workloads.value : [],
  });
}

/**
 * The cluster's workloads, ServiceAccounts and pull secrets in scope: from the in-process controller's watch-fed cache
 * (no API request), else listed once, within `ms`.
 */
export async function readReadinessObjects(
  clusterId: string,
  scope: NamespaceScope,
  client: () => KubeClient,
  ms: number,
): Promise<Result<ReadinessObjects & { cached: boolean }, string>> {
  const cached = cachedClusterContents(clusterId);
  if (cached) return ok({ ...inScope(cached, scope), cached: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<Result<CachedContents, string>>((resolve) => {
    timer = setTimeout(() => resolve(fail(`unreachable: no complete answer within ${ms} ms`)), ms);
  });
  try {
    const listed = await Promise.race([listContents(client()), deadline]);
    return listed.ok ? ok({ ...inScope(listed.value, scope), cached: false }) : listed;
  } finally {
    clearTimeout(timer);
  }
}

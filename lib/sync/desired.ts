import { DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE } from "@/lib/images/dockerconfig";
import { type MatchableRegistry, resolveRegistry } from "@/lib/images/matching";
import { parseImageReference } from "@/lib/images/reference";
import type { RegistryType } from "@/lib/registries/schema";
import { encodeBase64Utf8, hashSecretContent } from "./content";
import type { SecretRefTarget, SyncCredential } from "./credentials";
import * as L from "./labels";
import { type Owner, ownerLabels } from "./ownership";
import type { WorkloadImages } from "./workload-images";

export { buildRegistrySecretData, copySecretCredential, secretRefSource } from "./credentials";

export type SyncRegistry = {
  id: string;
  registry: string;
  type: RegistryType;
  secrets?: Readonly<Record<string, SecretRefTarget>> | null;
};
export type SyncNamespace = { name: string; labels?: Readonly<Record<string, string>> };
export type DesiredSecret = {
  namespace: string;
  name: string;
  registryId: string;
  type: string;
  /** Base64 values, as in a Secret's `data`. */
  data: Record<string, string>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  contentHash: string;
};
/** A secret the namespace needs but cannot be built now: an existing one is kept until it expires. */
export type HeldSecret = { namespace: string; name: string; registryId: string; reason: string };
export type DesiredServiceAccount = { namespace: string; name: string; secretNames: string[] };
export type DesiredWorkload = Omit<WorkloadImages, "images"> & { secretNames: string[] };
export type SyncWarning =
  | { kind: "image"; namespace: string; workload: string; image: string; reason: string }
  | { kind: "credentials"; registryId: string; reason: string; namespaces: string[] };
export type DesiredState = {
  registryIds: string[];
  secrets: DesiredSecret[];
  held: HeldSecret[];
  serviceAccounts: DesiredServiceAccount[];
  workloads: DesiredWorkload[];
  warnings: SyncWarning[];
};
export type DesiredStateInput = {
  clusterName: string;
  /** Already filtered to the cluster's scope; workloads elsewhere are ignored. */
  namespaces: readonly SyncNamespace[];
  workloads: readonly WorkloadImages[];
  registries: readonly SyncRegistry[];
  credentials: ReadonlyMap<string, SyncCredential>;
  environmentLabel?: string;
  /** Written as labels on every secret (installation and org). */
  owner?: Owner;
  /** The secret name for a registry in a namespace (default `regcred-<id>`; see chooseSecretName). */
  secretName?: (namespace: string, registryId: string) => string;
};

type Resolved = { ok: true; registry: MatchableRegistry | null } | { ok: false; reason: string };
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function imageResolver(registries: readonly SyncRegistry[]): (image: string) => Resolved {
  const cache = new Map<string, Resolved>();
  return (image) => {
    let hit = cache.get(image);
    if (!hit) {
      const parsed = parseImageReference(image);
      hit = parsed.ok
        ? { ok: true, registry: resolveRegistry(registries, parsed.value) }
        : { ok: false, reason: parsed.reason };
      cache.set(image, hit);
    }
    return hit;
  };
}

const nameFor = (input: DesiredStateInput) => input.secretName ?? ((_ns: string, id: string) => L.secretNameFor(id));

function resolveWorkloads(input: DesiredStateInput): { workloads: DesiredWorkload[]; warnings: SyncWarning[] } {
  const inScope = new Set(input.namespaces.map((ns) => ns.name));
  const resolve = imageResolver(input.registries);
  const warnings: SyncWarning[] = [];
  const workloads = input.workloads
    .filter((w) => inScope.has(w.namespace))
    .map(({ images, ...w }): DesiredWorkload => {
      const names = new Set<string>();
      for (const image of images) {
        const hit = resolve(image);
        if (!hit.ok)
          warnings.push({
            kind: "image",
            namespace: w.namespace,
            workload: `${w.kind}/${w.name}`,
            image,
            reason: hit.reason,
          });
        else if (hit.registry && hit.registry.type !== "public")
          names.add(nameFor(input)(w.namespace, hit.registry.id));
      }
      return { ...w, secretNames: [...names].sort(byName) };
    });
  return { workloads, warnings };
}

type UsableCredential = Exclude<SyncCredential, { kind: "unavailable" }>;

function buildDesiredSecret(
  namespace: SyncNamespace,
  registryId: string,
  cred: UsableCredential,
  input: DesiredStateInput,
): DesiredSecret {
  const type = cred.kind === "dockerconfig" ? DOCKERCONFIGJSON_TYPE : cred.sourceType;
  const data =
    cred.kind === "dockerconfig"
      ? { [DOCKERCONFIGJSON_KEY]: encodeBase64Utf8(cred.dockerconfigjson) }
      : { ...cred.data };
  const environment = L.environmentValue({
    clusterName: input.clusterName,
    namespace: namespace.name,
    namespaceLabels: namespace.labels,
    environmentLabel: input.environmentLabel,
  });
  const labels: Record<string, string> = {
    [L.REGISTRY_LABEL]: registryId,
    [L.MANAGED_BY_LABEL]: L.MANAGED_BY_VALUE,
    [L.ENVIRONMENT_LABEL]: environment,
    ...(input.owner ? ownerLabels(input.owner) : {}),
    ...(cred.expiresAt ? { [L.EXPIRES_LABEL]: L.formatExpiryLabel(cred.expiresAt) } : {}),
  };
  const contentHash = hashSecretContent(type, data);
  const annotations = {
    [L.CONTENT_HASH_ANNOTATION]: contentHash,
    [L.ARGOCD_COMPARE_ANNOTATION]: L.ARGOCD_COMPARE_VALUE,
  };
  return {
    namespace: namespace.name,
    name: nameFor(input)(namespace.name, registryId),
    registryId,
    type,
    data,
    labels,
    annotations,
    contentHash,
  };
}

/** The ServiceAccounts the workloads run as, each with the secrets its workloads need. */
export function groupServiceAccounts(workloads: readonly DesiredWorkload[]): DesiredServiceAccount[] {
  const groups = new Map<string, DesiredServiceAccount>();
  for (const w of workloads.filter((w) => w.secretNames.length > 0)) {
    const key = `${w.namespace}/${w.serviceAccountName}`;
    const sa = groups.get(key) ?? { namespace: w.namespace, name: w.serviceAccountName, secretNames: [] };
    sa.secretNames = [...new Set([...sa.secretNames, ...w.secretNames])].sort();
    groups.set(key, sa);
  }
  return [...groups.values()].sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
}

/** What should exist in a cluster: one `regcred-<id>` secret per namespace and registry its workloads use. */
export function computeDesiredState(input: DesiredStateInput): DesiredState {
  const { workloads, warnings } = resolveWorkloads(input);
  const registryIds = input.registries.map((r) => r.id).sort(byName);
  const state: DesiredState = {
    registryIds,
    secrets: [],
    held: [],
    serviceAccounts: groupServiceAccounts(workloads),
    workloads,
    warnings,
  };
  const used = new Set(workloads.flatMap((w) => w.secretNames.map((name) => `${w.namespace}/${name}`)));
  for (const registry of [...input.registries].sort((a, b) => byName(a.id, b.id))) {
    const name = (ns: string) => nameFor(input)(ns, registry.id);
    const users = input.namespaces.filter((ns) => used.has(`${ns.name}/${name(ns.name)}`));
    if (users.length === 0) continue;
    const cred = input.credentials.get(registry.id) ?? {
      kind: "unavailable",
      reason: "no credentials were supplied for this registry",
    };
    if (cred.kind === "unavailable") {
      state.held.push(
        ...users.map((ns) => ({
          namespace: ns.name,
          name: name(ns.name),
          registryId: registry.id,
          reason: cred.reason,
        })),
      );
      state.warnings.push({
        kind: "credentials",
        registryId: registry.id,
        reason: cred.reason,
        namespaces: users.map((ns) => ns.name),
      });
    } else state.secrets.push(...users.map((ns) => buildDesiredSecret(ns, registry.id, cred, input)));
  }
  return state;
}

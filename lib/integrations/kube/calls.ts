import type { AdmissionMethods } from "./admission";
import { resources, WORKLOAD_KINDS } from "./resources";
import type { KubeClient, WatchKind } from "./types";

/** One API request as RBAC sees it: a verb on a resource; `home` when sent in Regcred's own namespace only. */
export type KubeCall = { verb: string; group: string; resource: string; home?: true };
export type KubeMethod = Exclude<keyof KubeClient, "server"> | keyof AdmissionMethods;

const groupOf = (prefix: string) => (prefix === "/api/v1" ? "" : prefix.split("/")[2]!);
const of = (verb: string, kind: keyof typeof resources): KubeCall => ({
  verb,
  group: groupOf(resources[kind].prefix),
  resource: resources[kind].plural,
});
const lease = (verb: string): KubeCall => ({ ...of(verb, "Lease"), home: true });
const webhookConfig = (verb: string): KubeCall => ({
  verb,
  group: "admissionregistration.k8s.io",
  resource: "mutatingwebhookconfigurations",
});
const WATCH_KINDS = Object.keys(resources).filter((k) => k !== "Lease") as WatchKind[];
// Jobs and bare Pods are left out: their pod templates are immutable (writes.ts refuses them).
const TEMPLATE_KINDS = WORKLOAD_KINDS.filter((k) => k !== "Pod" && k !== "Job");

/**
 * Every request each client method can send (the union over its arguments). The `satisfies` makes a new method
 * fail to compile until it is listed here; permissions.test.ts checks the list against lib/clusters/permissions.ts,
 * and test/integration/kube-calls.test.ts checks it against the requests the methods really send.
 */
export const kubeCalls = {
  version: [],
  whoAmI: [{ verb: "create", group: "authentication.k8s.io", resource: "selfsubjectreviews" }],
  accessReview: [{ verb: "create", group: "authorization.k8s.io", resource: "selfsubjectaccessreviews" }],
  listNamespaces: [of("list", "Namespace")],
  listSecrets: [of("list", "Secret")],
  getSecret: [of("get", "Secret")],
  listServiceAccounts: [of("list", "ServiceAccount")],
  listWorkloads: WORKLOAD_KINDS.map((k) => of("list", k)),
  createSecret: [of("create", "Secret")],
  replaceSecret: [of("update", "Secret")],
  annotateSecret: [of("patch", "Secret")],
  deleteSecret: [of("delete", "Secret")],
  patchServiceAccountPullSecrets: [of("patch", "ServiceAccount")],
  patchWorkloadPullSecrets: TEMPLATE_KINDS.map((k) => of("patch", k)),
  deletePod: [of("delete", "Pod")],
  getLease: [lease("get")],
  createLease: [lease("create")],
  updateLease: [lease("update")],
  collectionVersion: WATCH_KINDS.map((k) => of("list", k)),
  // A watch without a resourceVersion to start from LISTs one item first (collectionVersion).
  watch: WATCH_KINDS.flatMap((k) => [of("list", k), of("watch", k)]),
  informer: WATCH_KINDS.flatMap((k) => [of("list", k), of("watch", k)]),
  getMutatingWebhookConfiguration: [webhookConfig("get")],
  createMutatingWebhookConfiguration: [webhookConfig("create")],
  replaceMutatingWebhookConfiguration: [webhookConfig("update")],
  deleteMutatingWebhookConfiguration: [webhookConfig("delete")],
  applyMutatingWebhookConfiguration: [webhookConfig("get"), webhookConfig("create"), webhookConfig("update")],
} satisfies Record<KubeMethod, readonly KubeCall[]>;

export const TEMPLATE_PATCH_KINDS: readonly string[] = TEMPLATE_KINDS;

/**
 * The RBAC verb and resource of a request URL, as the API server's request-info resolver sees them (a GET with
 * `watch=true` is watch, a GET of a collection is list). Null for non-resource paths (/version).
 */
export function requestCall(method: string, url: string): KubeCall | null {
  const u = new URL(url, "http://x");
  const parts = u.pathname.split("/").filter(Boolean);
  let rest: string[];
  let group: string;
  if (parts[0] === "api" && parts.length >= 3) [group, rest] = ["", parts.slice(2)];
  else if (parts[0] === "apis" && parts.length >= 4) [group, rest] = [parts[1]!, parts.slice(3)];
  else return null;
  if (rest[0] === "namespaces" && rest.length >= 3) rest = rest.slice(2);
  const [resource, name] = rest;
  if (!resource) return null;
  const m = method.toUpperCase();
  const verb =
    m === "GET"
      ? u.searchParams.get("watch") === "true" || u.searchParams.get("watch") === "1"
        ? "watch"
        : name
          ? "get"
          : "list"
      : ({ POST: "create", PUT: "update", PATCH: "patch", DELETE: name ? "delete" : "deletecollection" }[m] ?? m);
  return { verb, group, resource };
}

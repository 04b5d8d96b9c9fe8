import { describe, expect, it } from "vitest";
import {
  type InformerEvent,
  type InformerListener,
  type KubeNamespace,
  type KubeSecret,
  type KubeServiceAccount,
  stubClient,
  type WatchKind,
} from "@/lib/integrations/kube";
import { ClusterCache, type Touched } from "./cache";

type Raw = { kind: WatchKind; listener: InformerListener<unknown>; selector: string };

/** A client whose informers are driven by the test: `emit` delivers an event as a watch would. */
function fakeCluster(namespaces: KubeNamespace[]) {
  const informers: Raw[] = [];
  const known = new Map(namespaces.map((n) => [n.name, n]));
  const client = {
    ...stubClient("https://fake"),
    informer: <T>(
      kind: WatchKind,
      opts: { fieldSelector?: string; labelSelector?: string },
      l: InformerListener<T>,
    ) => {
      informers.push({ kind, listener: l as InformerListener<unknown>, selector: `${opts.fieldSelector ?? ""}` });
      return {
        synced: true,
        lists: 1,
        lastError: null,
        get: (key: string) => (kind === "Namespace" ? (known.get(key) as T | undefined) : undefined),
        values: () => [][Symbol.iterator](),
        inNamespace: () => [],
        remember: () => {},
        forget: () => {},
        stop: () => {},
      };
    },
  };
  const emit = <T>(kind: WatchKind, e: InformerEvent<T>, selector?: string) => {
    for (const i of informers)
      if (i.kind === kind && (selector === undefined || i.selector === selector))
        i.listener.onEvent?.(e as InformerEvent<unknown>);
  };
  return { client, emit };
}

const ns = (name: string, labels: Record<string, string> = {}): KubeNamespace => ({
  name,
  labels,
  phase: "Active",
  createdAt: null,
});
const pod = (namespace: string, name: string, image: string, waiting?: string) => ({
  kind: "Pod" as const,
  metadata: { name, namespace },
  spec: { containers: [{ name: "app", image }] },
  status: waiting ? { containerStatuses: [{ name: "app", image, waitingReason: waiting }] } : undefined,
});
const secret = (namespace: string, name: string, labels: Record<string, string> = {}): KubeSecret => ({
  namespace,
  name,
  type: "kubernetes.io/dockerconfigjson",
  labels,
  annotations: {},
  data: {},
  resourceVersion: "1",
  createdAt: null,
});

function setup() {
  const { client, emit } = fakeCluster([ns("app"), ns("kube-system")]);
  const touched: Touched[] = [];
  const cache = new ClusterCache({
    client,
    scope: { namespaceSelector: null, excludeNamespaces: ["kube-system"] },
    onChange: (t) => touched.push(t),
  });
  // The cache knows namespaces only from its Namespace informer; it looks them up there (the fake has none).
  Object.assign(cache, { inScope: (n: KubeNamespace | undefined) => n !== undefined && n.name !== "kube-system" });
  const known = new Map([
    ["app", ns("app")],
    ["kube-system", ns("kube-system")],
  ]);
  (cache as unknown as { namespaces: { get: (k: string) => KubeNamespace | undefined } }).namespaces.get = (k) =>
    known.get(k);
  return { cache, emit, touched };
}

describe("ClusterCache event filter", () => {
  it("queues a namespace when its set of workload fingerprints changes, not for every Pod of a kind", () => {
    const { emit, touched } = setup();
    emit("Pod", { type: "ADDED", key: "app/a", namespace: "app", object: pod("app", "a", "reg/x:1") });
    emit("Pod", { type: "ADDED", key: "app/b", namespace: "app", object: pod("app", "b", "reg/x:1") });
    const [a, b] = [pod("app", "a", "reg/x:1"), pod("app", "b", "reg/x:1")];
    emit("Pod", { type: "DELETED", key: "app/a", namespace: "app", object: a, previous: a });
    expect(touched).toEqual([{ namespaces: ["app"] }]);
    emit("Pod", { type: "DELETED", key: "app/b", namespace: "app", object: b, previous: b });
    expect(touched).toHaveLength(2);
  });

  it("queues a namespace when a Pod starts waiting on an image pull (a stuck pod to restart)", () => {
    const { emit, touched } = setup();
    const fine = pod("app", "a", "reg/x:1");
    emit("Pod", { type: "ADDED", key: "app/a", namespace: "app", object: fine });
    const stuck = pod("app", "a", "reg/x:1", "ImagePullBackOff");
    emit("Pod", { type: "MODIFIED", key: "app/a", namespace: "app", object: stuck, previous: fine });
    emit("Pod", { type: "MODIFIED", key: "app/a", namespace: "app", object: stuck, previous: stuck });
    expect(touched).toHaveLength(2);
  });

  it("ignores namespaces out of scope and other people's pull secrets; Regcred's names and a source secret count", () => {
    const { cache, emit, touched } = setup();
    emit("Pod", {
      type: "ADDED",
      key: "kube-system/a",
      namespace: "kube-system",
      object: pod("kube-system", "a", "x"),
    });
    emit("Secret", { type: "ADDED", key: "app/other", namespace: "app", object: secret("app", "other") });
    expect(touched).toEqual([]);
    emit("Secret", { type: "ADDED", key: "app/regcred-x", namespace: "app", object: secret("app", "regcred-x") });
    expect(touched).toEqual([{ namespaces: ["app"] }, { namespaces: ["app"] }]); // two secret informers
    touched.length = 0;
    cache.setSources(["kube-system/central"]);
    const central = secret("kube-system", "central");
    emit(
      "Secret",
      { type: "MODIFIED", key: "kube-system/central", namespace: "kube-system", object: central },
      "type=kubernetes.io/dockerconfigjson",
    );
    expect(touched).toEqual(["all"]);
  });

  it("queues a namespace when a ServiceAccount's pull secrets change, not for other edits or in an empty namespace", () => {
    const { emit, touched } = setup();
    const empty: KubeServiceAccount = { namespace: "app", name: "builder", imagePullSecrets: [], resourceVersion: "1" };
    emit("ServiceAccount", { type: "ADDED", key: "app/builder", namespace: "app", object: empty });
    expect(touched).toEqual([]);
    emit("Pod", { type: "ADDED", key: "app/a", namespace: "app", object: pod("app", "a", "reg/x:1") });
    touched.length = 0;
    const sa: KubeServiceAccount = { namespace: "app", name: "default", imagePullSecrets: ["a"], resourceVersion: "1" };
    emit("ServiceAccount", { type: "ADDED", key: "app/default", namespace: "app", object: sa });
    const annotated = { ...sa, resourceVersion: "2", annotations: { note: "x" } };
    emit("ServiceAccount", { type: "MODIFIED", key: "app/default", namespace: "app", object: annotated, previous: sa });
    const removed: KubeServiceAccount = { ...sa, resourceVersion: "3", imagePullSecrets: [] };
    emit("ServiceAccount", {
      type: "MODIFIED",
      key: "app/default",
      namespace: "app",
      object: removed,
      previous: annotated,
    });
    expect(touched).toEqual([{ namespaces: ["app"] }, { namespaces: ["app"] }]);
  });
});

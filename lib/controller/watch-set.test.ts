import { describe, expect, it } from "vitest";
import { stubClient } from "@/lib/integrations/kube/stub";
import type { KubeClient, WatchEvent, WatchKind, WatchListener } from "@/lib/integrations/kube/types";
import type { WorkloadImages } from "@/lib/sync/workload-images";
import type { ClusterState } from "./observe";
import { WatchSet } from "./watch-set";

function setup() {
  const listeners = new Map<string, WatchListener>();
  const client: KubeClient = {
    ...stubClient("https://k"),
    watch: (kind: WatchKind, opts, l) => (
      listeners.set(`${kind}${opts.namespace ? `/${opts.namespace}` : ""}`, l),
      { stop: () => listeners.delete(kind) }
    ),
  };
  const changes: string[] = [];
  const set = new WatchSet({ client, onChange: (r) => changes.push(r) });
  set.start();
  const web: WorkloadImages = {
    namespace: "app",
    kind: "Deployment",
    name: "web",
    serviceAccountName: "default",
    images: ["r.io/web:1"],
    imagePullSecrets: [],
    controlled: false,
    templatePatchable: true,
  };
  const state: ClusterState = {
    namespaces: [{ name: "app", labels: {}, phase: "Active", createdAt: null }],
    workloads: [web],
    serviceAccounts: [{ namespace: "app", name: "default", imagePullSecrets: ["regcred-r"], resourceVersion: "1" }],
    managed: [],
    pods: [],
    versions: new Map(),
  };
  set.seed(state);
  const emit = (kind: WatchKind, type: WatchEvent["type"], object: Record<string, unknown>) =>
    listeners.get(kind)!.onEvent({ kind, type, object } as WatchEvent);
  return { set, emit, changes, listeners };
}

const pod = (name: string, image: string, ns = "app", owner = true) => ({
  metadata: {
    name,
    namespace: ns,
    ownerReferences: owner ? [{ kind: "ReplicaSet", name: "web-1", controller: true }] : [],
  },
  spec: { containers: [{ name: "c", image }] },
});

describe("WatchSet", () => {
  it("asks for a pass only when the images, ServiceAccount or pull secrets in a namespace change", () => {
    const { emit, changes } = setup();
    emit("Deployment", "MODIFIED", {
      metadata: { name: "web", namespace: "app" },
      spec: { template: { spec: { containers: [{ name: "c", image: "r.io/web:1" }] } } },
    });
    expect(changes).toEqual([]);
    emit("Pod", "ADDED", pod("web-1-a", "r.io/web:1"));
    emit("Pod", "ADDED", pod("web-1-b", "r.io/web:1"));
    expect(changes).toHaveLength(1);
    emit("Pod", "MODIFIED", pod("web-1-b", "r.io/web:1"));
    emit("Pod", "DELETED", pod("web-1-a", "r.io/web:1"));
    expect(changes).toHaveLength(1);
    emit("Pod", "DELETED", pod("web-1-b", "r.io/web:1"));
    expect(changes).toHaveLength(2);
    emit("Deployment", "MODIFIED", {
      metadata: { name: "web", namespace: "app" },
      spec: { template: { spec: { containers: [{ name: "c", image: "r.io/web:2" }] } } },
    });
    expect(changes.at(-1)).toBe("Deployment app/web modified");
  });

  it("ignores other namespaces, but not new namespaces", () => {
    const { emit, changes } = setup();
    emit("Pod", "ADDED", pod("x", "r.io/x:1", "elsewhere"));
    expect(changes).toEqual([]);
    emit("Namespace", "ADDED", { metadata: { name: "new", labels: {} }, status: { phase: "Active" } });
    emit("Namespace", "MODIFIED", { metadata: { name: "app", labels: {} }, status: { phase: "Active" } });
    expect(changes).toEqual(["Namespace new added"]);
  });

  it("ignores its own secret writes and ServiceAccounts whose pull secrets did not change", () => {
    const { set, emit, changes } = setup();
    set.noteWrite("app/regcred-r", "42");
    emit("Secret", "MODIFIED", { metadata: { name: "regcred-r", namespace: "app", resourceVersion: "42" } });
    emit("ServiceAccount", "MODIFIED", {
      metadata: { name: "default", namespace: "app" },
      imagePullSecrets: [{ name: "regcred-r" }],
    });
    expect(changes).toEqual([]);
    emit("Secret", "DELETED", { metadata: { name: "regcred-r", namespace: "app", resourceVersion: "43" } });
    emit("ServiceAccount", "MODIFIED", { metadata: { name: "default", namespace: "app" }, imagePullSecrets: [] });
    expect(changes).toEqual(["Secret app/regcred-r deleted", "ServiceAccount app/default modified"]);
  });

  it("watches each secret_ref source by name and stops watching dropped ones", () => {
    const { set, listeners, changes } = setup();
    set.setSources(["src/shared"]);
    expect(listeners.has("Secret/src")).toBe(true);
    listeners
      .get("Secret/src")!
      .onEvent({ kind: "Secret", type: "MODIFIED", object: { metadata: { name: "shared", namespace: "src" } } });
    expect(changes).toEqual(["source secret src/shared changed"]);
  });
});

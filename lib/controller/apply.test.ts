import { describe, expect, it } from "vitest";
import { stubClient } from "@/lib/integrations/kube/stub";
import type { KubeClient, KubeSecret } from "@/lib/integrations/kube/types";
import type { DesiredSecret } from "@/lib/sync/desired";
import { applyNamespace, LeadershipLost, secretWrite } from "./apply";

const desired: DesiredSecret = {
  namespace: "ns",
  name: "regcred-a",
  registryId: "a",
  type: "kubernetes.io/dockerconfigjson",
  data: { ".dockerconfigjson": "e30=" },
  labels: { "regcred.dev/registry": "a", "app.kubernetes.io/managed-by": "regcred" },
  annotations: { "regcred.dev/content-hash": "sha256:1" },
  contentHash: "sha256:1",
};
const existing: KubeSecret = {
  namespace: "ns",
  name: "regcred-a",
  type: "kubernetes.io/dockerconfigjson",
  labels: { "regcred.dev/registry": "a", "app.kubernetes.io/managed-by": "regcred", team: "x" },
  annotations: {
    "regcred.dev/content-hash": "sha256:0",
    "regcred.dev/unused-since": "2026-01-01T00:00:00Z",
    note: "keep",
  },
  data: {},
  resourceVersion: "7",
  createdAt: null,
};
const saPatch = {
  op: "patch-sa" as const,
  namespace: "ns",
  name: "default",
  imagePullSecrets: [{ name: "mine" }, { name: "regcred-a" }],
  added: ["regcred-a"],
  removed: [],
};

function recorder(overrides: Partial<KubeClient> = {}) {
  const calls: string[] = [];
  const ok = <T>(value: T) => ({ ok: true as const, value });
  const client: KubeClient = {
    ...stubClient("https://k"),
    createSecret: async (s) => (calls.push(`create ${s.name}`), ok({ ...existing, resourceVersion: "1" })),
    replaceSecret: async (s, pre) => (calls.push(`replace ${s.name}@${pre?.resourceVersion}`), ok(existing)),
    deleteSecret: async (_ns, name, pre) => (calls.push(`delete ${name}@${pre?.resourceVersion}`), ok(undefined)),
    patchServiceAccountPullSecrets: async (_ns, name, refs, pre) => (
      calls.push(`patch-sa ${name} ${refs.map((r) => r.name).join(",")}@${pre?.resourceVersion}`),
      ok({ namespace: "ns", name, imagePullSecrets: [], resourceVersion: "2" })
    ),
    ...overrides,
  };
  return { client, calls };
}

const ctx = (client: KubeClient, mayWrite = () => true) => ({
  client,
  actual: new Map([["ns/regcred-a", existing]]),
  versions: new Map([["ServiceAccount/ns/default", "5"]]),
  mayWrite,
});

describe("secretWrite", () => {
  it("keeps foreign labels and annotations, replaces Regcred's own (dropping unused-since)", () => {
    const w = secretWrite(desired, existing);
    expect(w.labels).toEqual({ team: "x", ...desired.labels });
    expect(w.annotations).toEqual({ note: "keep", "regcred.dev/content-hash": "sha256:1" });
  });
});

describe("applyNamespace", () => {
  it("writes secrets first, then references, then deletions, each with the resourceVersion read", async () => {
    const { client, calls } = recorder();
    const out = await applyNamespace(
      ctx(client),
      [
        { op: "delete", namespace: "ns", name: "regcred-old", reason: "gone" },
        { op: "update", namespace: "ns", name: "regcred-a", reason: "content changed", secret: desired },
        { op: "noop", namespace: "ns", name: "regcred-c", reason: "up to date" },
      ],
      [saPatch],
    );
    expect(calls).toEqual(["replace regcred-a@7", "patch-sa default mine,regcred-a@5", "delete regcred-old@null"]);
    expect(out.changes.map((c) => `${c.op} ${c.ok}`)).toEqual(["update true", "patch-sa true", "delete true"]);
  });

  it("reports a secret someone else created meanwhile as a conflict and does not reference it", async () => {
    const { client, calls } = recorder({
      createSecret: async () => ({ ok: false, error: { kind: "conflict", message: "HTTP 409" } }),
      getSecret: async () => ({ ok: true, value: { ...existing, labels: {} } }),
    });
    const out = await applyNamespace(
      ctx(client),
      [{ op: "create", namespace: "ns", name: "regcred-a", reason: "missing", secret: desired }],
      [saPatch],
    );
    expect(out.conflicts).toEqual([{ name: "regcred-a", reason: expect.stringMatching(/not managed by Regcred/) }]);
    expect(calls).toEqual([]);
    expect(out.changes).toEqual([]);
  });

  it("records a failed write, marks the pass for retry, and still runs the rest", async () => {
    const { client, calls } = recorder({
      createSecret: async () => ({ ok: false, error: { kind: "unreachable", message: "connection refused" } }),
    });
    const out = await applyNamespace(
      ctx(client),
      [
        { op: "create", namespace: "ns", name: "regcred-a", reason: "missing", secret: desired },
        { op: "delete", namespace: "ns", name: "regcred-old", reason: "gone" },
      ],
      [saPatch],
    );
    expect(out).toMatchObject({ retry: true, errors: ["create secret/regcred-a: connection refused"] });
    expect(calls).toEqual(["delete regcred-old@null"]);
  });

  it("stops before any write once the lease is lost", async () => {
    const { client, calls } = recorder();
    await expect(
      applyNamespace(
        ctx(client, () => false),
        [{ op: "update", namespace: "ns", name: "regcred-a", reason: "x", secret: desired }],
        [],
      ),
    ).rejects.toBeInstanceOf(LeadershipLost);
    expect(calls).toEqual([]);
  });
});

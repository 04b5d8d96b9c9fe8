import { describe, expect, it } from "vitest";
import { type KubeClient, type KubeSecret, stubClient } from "../integrations/kube";
import type { Workload } from "@/lib/integrations/kube/workloads";
import { OTHER_MANAGED_SELECTOR, PULL_SECRETS_SELECTOR, readInventory, readInventoryWithin } from "./inventory";

const secret = (name: string): KubeSecret => ({
  namespace: "a",
  name,
  type: "kubernetes.io/dockerconfigjson",
  labels: {},
  annotations: {},
  data: {},
  resourceVersion: "1",
  createdAt: null,
});
const deployment = (name: string, controlled = false): Workload => ({
  kind: "Deployment",
  metadata: { name, namespace: "a", ownerReferences: controlled ? [{ kind: "X", name: "x", controller: true }] : [] },
  spec: { template: { spec: { containers: [], imagePullSecrets: [{ name: "regcred-x" }, {}] } } },
});

function fake(patch: Partial<KubeClient>, calls: unknown[] = []): KubeClient {
  return {
    ...stubClient("https://fake"),
    listSecrets: async (opts) => {
      calls.push(opts);
      return { ok: true, value: opts === PULL_SECRETS_SELECTOR ? [secret("regcred-x")] : [secret("regcred-copy")] };
    },
    listServiceAccounts: async () => ({
      ok: true,
      value: [{ namespace: "a", name: "default", imagePullSecrets: ["regcred-x"], resourceVersion: "1" }],
    }),
    listWorkloads: async () => ({ ok: true, value: [deployment("web"), deployment("web-rs", true)] }),
    ...patch,
  };
}

describe("readInventory", () => {
  it("makes both secret LISTs with their selectors and keeps only top-level workloads", async () => {
    const calls: unknown[] = [];
    const r = await readInventory(fake({}, calls));
    expect(calls).toEqual([PULL_SECRETS_SELECTOR, OTHER_MANAGED_SELECTOR]);
    expect(OTHER_MANAGED_SELECTOR).toEqual({
      labelSelector: "app.kubernetes.io/managed-by=regcred,regcred.dev/registry",
      fieldSelector: "type!=kubernetes.io/dockerconfigjson",
    });
    expect(r.ok && r.value.secrets.map((s) => s.name)).toEqual(["regcred-x", "regcred-copy"]);
    expect(r.ok && r.value.workloads).toEqual([
      { kind: "Deployment", namespace: "a", name: "web", imagePullSecrets: ["regcred-x"] },
    ]);
    expect(r.ok && r.value.warnings).toEqual([]);
  });

  it("fails the cluster when the secrets cannot be listed", async () => {
    const r = await readInventory(
      fake({ listSecrets: async () => ({ ok: false, error: { kind: "unreachable", message: "connection refused" } }) }),
    );
    expect(r).toEqual({ ok: false, error: "unreachable: connection refused" });
  });

  it("missing references are warnings, not failures", async () => {
    const denied = { ok: false as const, error: { kind: "forbidden" as const, message: "HTTP 403" } };
    const r = await readInventory(fake({ listServiceAccounts: async () => denied, listWorkloads: async () => denied }));
    expect(r.ok).toBe(true);
    expect(r.ok && r.value.warnings).toEqual([
      "ServiceAccounts could not be listed, so their references are missing: forbidden: HTTP 403",
      "workloads could not be listed, so their references are missing: forbidden: HTTP 403",
    ]);
  });

  it("gives up on a cluster that does not answer in time", async () => {
    const hang = () => new Promise<never>(() => {});
    const r = await readInventoryWithin(fake({ listSecrets: hang }), 50);
    expect(r).toEqual({ ok: false, error: "unreachable: no complete answer within 50 ms" });
  });
});

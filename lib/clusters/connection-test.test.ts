import { describe, expect, it } from "vitest";
import { stubClient } from "../integrations/kube/stub";
import type { AccessAttributes, KubeClient, KubeError, KubeResult } from "../integrations/kube/types";
import { testConnection } from "./connection-test";
import { requiredPermissions } from "./permissions";
import { suggestClusterName } from "./schema";

const ok = <T>(value: T): KubeResult<T> => ({ ok: true, value });
const fail = (kind: KubeError["kind"], message: string = kind): KubeResult<never> => ({
  ok: false,
  error: { kind, message },
});

function fakeClient(overrides: Partial<KubeClient> & { allow?: (a: AccessAttributes) => boolean } = {}): KubeClient {
  const allow = overrides.allow ?? (() => true);
  return {
    ...stubClient("https://k.example.com"),
    version: async () => ok({ gitVersion: "v1.34.4", major: "1", minor: "34", platform: "linux/amd64" }),
    whoAmI: async () => ok({ username: "regcred", groups: [] }),
    accessReview: async (a) => ok({ allowed: allow(a), denied: false, reason: null }),
    listNamespaces: async () => ok([]),
    listSecrets: async () => ok([]),
    getSecret: async () => fail("not-found"),
    ...overrides,
  };
}

const now = () => new Date("2026-01-01T00:00:00Z");
const needs = { wiring: "serviceaccount", restartStuckPods: false } as const;
const opts = { homeNamespace: "regcred", needs, now };

describe("testConnection", () => {
  it("is ok when every permission is granted", async () => {
    const result = await testConnection(fakeClient(), opts);
    expect(result).toMatchObject({
      status: "ok",
      version: "v1.34.4",
      user: "regcred",
      missing: [],
      tested_at: "2026-01-01T00:00:00.000Z",
    });
    expect(result.steps.map((s) => [s.step, s.ok])).toEqual([
      ["version", true],
      ["authenticate", true],
      ["permissions", true],
    ]);
    expect(result.summary).toContain(`all ${requiredPermissions("x", needs).length} permissions granted`);
  });

  it("is degraded and lists exactly what is missing", async () => {
    const result = await testConnection(
      fakeClient({
        allow: (a) =>
          a.resource !== "mutatingwebhookconfigurations" && !(a.resource === "secrets" && a.verb === "delete"),
      }),
      opts,
    );
    expect(result.status).toBe("degraded");
    expect(result.missing).toEqual([
      { verb: "delete", group: "", resource: "secrets" },
      { verb: "get", group: "admissionregistration.k8s.io", resource: "mutatingwebhookconfigurations" },
    ]);
    expect(result.summary).toContain(
      "2 of 30 permissions are missing: delete secrets, get mutatingwebhookconfigurations.admissionregistration.k8s.io",
    );
  });

  it.each([
    [{ wiring: "serviceaccount", restartStuckPods: false }, 30, []],
    [
      { wiring: "webhook", restartStuckPods: false },
      32,
      ["create mutatingwebhookconfigurations", "update mutatingwebhookconfigurations"],
    ],
    [
      { wiring: "podtemplate", restartStuckPods: false },
      35,
      ["patch deployments", "patch statefulsets", "patch daemonsets", "patch replicasets", "patch cronjobs"],
    ],
    [{ wiring: "serviceaccount", restartStuckPods: true }, 31, ["delete pods"]],
  ] as const)("checks what the cluster's settings need: %o", async (clusterNeeds, total, beyondServiceAccount) => {
    const result = await testConnection(
      fakeClient({
        allow: (a) => requiredPermissions("regcred", needs).some((p) => p.verb === a.verb && p.resource === a.resource),
      }),
      { ...opts, needs: clusterNeeds },
    );
    expect(result.steps.at(-1)?.detail).toBe(`${total - beyondServiceAccount.length} of ${total} permissions granted`);
    expect(result.missing.map((p) => `${p.verb} ${p.resource}`)).toEqual(beyondServiceAccount);
  });

  it("checks leases in the home namespace", () => {
    expect(requiredPermissions("regcred").filter((p) => p.resource === "leases")).toEqual([
      { verb: "get", group: "coordination.k8s.io", resource: "leases", namespace: "regcred" },
      { verb: "create", group: "coordination.k8s.io", resource: "leases", namespace: "regcred" },
      { verb: "update", group: "coordination.k8s.io", resource: "leases", namespace: "regcred" },
    ]);
  });

  it.each([
    [
      "unreachable",
      fakeClient({ version: async () => fail("unreachable", "connection refused") }),
      "Cannot reach https://k.example.com: connection refused.",
    ],
    [
      "unauthorized",
      fakeClient({ version: async () => fail("unauthorized", "HTTP 401: Unauthorized") }),
      "https://k.example.com rejected the credentials (HTTP 401: Unauthorized).",
    ],
    ["unauthorized", fakeClient({ whoAmI: async () => fail("unauthorized", "HTTP 401") }), "rejected the credentials"],
    [
      "unreachable",
      fakeClient({ accessReview: async () => fail("unreachable", "no answer within 10 ms") }),
      "no answer within 10 ms",
    ],
  ])("reports %s without throwing", async (status, client, summary) => {
    const result = await testConnection(client, opts);
    expect(result.status).toBe(status);
    expect(result.summary).toContain(summary);
  });

  it("accepts credentials when SelfSubjectReview is not served", async () => {
    const result = await testConnection(fakeClient({ whoAmI: async () => fail("not-found", "HTTP 404") }), opts);
    expect(result).toMatchObject({ status: "ok", user: null });
  });

  it("is degraded when access reviews themselves are forbidden", async () => {
    const result = await testConnection(fakeClient({ accessReview: async () => fail("forbidden", "HTTP 403") }), opts);
    expect(result.status).toBe("degraded");
    expect(result.summary).toContain("could not check its permissions");
  });
});

describe("suggestClusterName", () => {
  it.each([
    ["admin@regcred-test", "admin-regcred-test"],
    ["arn:aws:eks:eu-west-1:123456789012:cluster/prod", "arn-aws-eks-eu-west-1-123456789012-cluster-prod"],
    ["gke_my-project_europe-west1_main", "gke-my-project-europe-west1-main"],
    ["Prod.EU", "prod.eu"],
    ["--", "cluster"],
  ])("%s → %s", (context, name) => {
    expect(suggestClusterName(context)).toBe(name);
  });
});

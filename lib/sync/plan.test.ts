import { describe, expect, it } from "vitest";
import type { SyncCredential } from "./credentials";
import { computeDesiredState, type DesiredSecret, type DesiredState } from "./desired";
import { type ActualSecret, hasWrites, planSecretSync, type PlanInput } from "./plan";
import { extractWorkloadImages } from "./workload-images";

const now = new Date("2026-01-10T00:00:00Z");
const hour = 3_600_000;
const dc = (user: string, expiresAt: Date | null = null): SyncCredential => ({
  kind: "dockerconfig",
  dockerconfigjson: `{"auths":{"r":{"username":"${user}"}}}`,
  expiresAt,
});

function desiredFor(
  images: string[],
  credentials = new Map([
    ["quay", dc("q")],
    ["ecr", dc("AWS", new Date(now.getTime() + 12 * hour))],
  ]),
): DesiredState {
  const pod = extractWorkloadImages({
    kind: "Pod",
    metadata: { name: "p", namespace: "a" },
    spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
  });
  const registries = [
    { id: "quay", registry: "quay.io", type: "basic" as const },
    { id: "ecr", registry: "1.dkr.ecr.eu-west-1.amazonaws.com", type: "amazon_ecr" as const },
    { id: "ghcr", registry: "ghcr.io", type: "basic" as const },
  ];
  return computeDesiredState({
    clusterName: "c",
    namespaces: [{ name: "a" }],
    workloads: [pod],
    registries,
    credentials,
  });
}

const desired = desiredFor(["quay.io/x/app"]);
const quay = desired.secrets[0] as DesiredSecret;
const applied = (d: DesiredSecret, extra: Partial<ActualSecret> = {}): ActualSecret => {
  const { namespace, name, type, labels, annotations, data } = d;
  return { namespace, name, type, labels, annotations, data, ...extra };
};
const managed = (
  name: string,
  registryId: string,
  annotations: Record<string, string> = {},
  labels: Record<string, string> = {},
): ActualSecret => ({
  namespace: "a",
  name,
  type: "kubernetes.io/dockerconfigjson",
  annotations,
  labels: { "app.kubernetes.io/managed-by": "regcred", "regcred.dev/registry": registryId, ...labels },
});
const foreign = (name: string): ActualSecret => ({
  namespace: "a",
  name,
  type: "kubernetes.io/dockerconfigjson",
  labels: { "app.kubernetes.io/managed-by": "helm" },
});

function plan(extra: Partial<PlanInput>) {
  return planSecretSync({ desired, actual: [], serviceAccounts: [], now, gracePeriodMs: 24 * hour, ...extra });
}
const ops = (p: ReturnType<typeof plan>) => p.secrets.map((s) => `${s.op} ${s.name}: ${s.reason}`);

describe("planSecretSync: secrets", () => {
  it.each<[string, Partial<PlanInput>, string[]]>([
    ["missing → create", {}, ["create regcred-quay: missing"]],
    ["unchanged → noop", { actual: [applied(quay)] }, ["noop regcred-quay: up to date"]],
    [
      "changed credentials → update",
      { desired: desiredFor(["quay.io/x/app"], new Map([["quay", dc("q2")]])), actual: [applied(quay)] },
      ["update regcred-quay: content changed"],
    ],
    [
      "hand-edited data → update",
      { actual: [applied(quay, { data: { ".dockerconfigjson": "e30=" } })] },
      ["update regcred-quay: content changed"],
    ],
    [
      "changed labels → update",
      { actual: [applied(quay, { labels: { ...quay.labels, "regcred.dev/environment": "old" } })] },
      ["update regcred-quay: labels changed"],
    ],
    [
      "type change → recreate",
      { actual: [applied(quay, { type: "kubernetes.io/dockercfg" })] },
      ["recreate regcred-quay: type changes from kubernetes.io/dockercfg to kubernetes.io/dockerconfigjson"],
    ],
    ["foreign regcred- secret → conflict only", { actual: [foreign("regcred-quay")] }, []],
    [
      "foreign secrets with other names → ignored",
      { actual: [applied(quay), foreign("pull"), foreign("regcred-ghcr")] },
      ["noop regcred-quay: up to date"],
    ],
    [
      "deleted registry → delete",
      { actual: [applied(quay), managed("regcred-old", "old")], deletedRegistryIds: ["old"] },
      ["noop regcred-quay: up to date", "delete regcred-old: registry old was deleted"],
    ],
    [
      "deleted registry wins over desired",
      { actual: [applied(quay)], deletedRegistryIds: ["quay"] },
      ["delete regcred-quay: registry quay was deleted"],
    ],
    [
      "first unused → mark-unused",
      { actual: [applied(quay), managed("regcred-ghcr", "ghcr")] },
      ["noop regcred-quay: up to date", "mark-unused regcred-ghcr: no workload in the namespace uses the registry"],
    ],
    [
      "unused within grace → noop",
      {
        actual: [managed("regcred-ghcr", "ghcr", { "regcred.dev/unused-since": "2026-01-09T01:00:00.000Z" })],
        desired: desiredFor([]),
      },
      ["noop regcred-ghcr: unused since 2026-01-09T01:00:00.000Z; deleted after 2026-01-10T01:00:00.000Z"],
    ],
    [
      "unused after grace → delete",
      {
        actual: [managed("regcred-ghcr", "ghcr", { "regcred.dev/unused-since": "2026-01-09T00:00:00.000Z" })],
        desired: desiredFor([]),
      },
      ["delete regcred-ghcr: unused since 2026-01-09T00:00:00.000Z; the grace period is over"],
    ],
    [
      "unreadable unused mark → marked again",
      { actual: [managed("regcred-ghcr", "ghcr", { "regcred.dev/unused-since": "soon" })], desired: desiredFor([]) },
      ["mark-unused regcred-ghcr: no workload in the namespace uses the registry"],
    ],
    [
      "used again → update clears the mark",
      {
        actual: [
          applied(quay, {
            annotations: { ...quay.annotations, "regcred.dev/unused-since": "2026-01-09T00:00:00.000Z" },
          }),
        ],
      },
      ["update regcred-quay: in use again"],
    ],
  ])("%s", (_, input, expected) => {
    expect(ops(plan(input))).toEqual(expected);
  });

  it("reports a foreign secret as a conflict and never wires it", () => {
    const p = plan({
      actual: [foreign("regcred-quay")],
      serviceAccounts: [{ namespace: "a", name: "default", imagePullSecrets: [{ name: "regcred-quay" }] }],
    });
    expect(p.conflicts).toEqual([
      {
        namespace: "a",
        name: "regcred-quay",
        reason: "a secret named regcred-quay exists and is not managed by Regcred",
      },
    ]);
    expect(p.serviceAccounts).toEqual([]);
    expect(hasWrites(p)).toBe(false);
  });

  it("writes nothing when nothing changed", () => {
    const p = plan({
      actual: [applied(quay)],
      serviceAccounts: [{ namespace: "a", name: "default", imagePullSecrets: [{ name: "regcred-quay" }] }],
    });
    expect(hasWrites(p)).toBe(false);
  });

  it("carries the desired secret and the mark time", () => {
    expect(plan({}).secrets[0]).toMatchObject({ op: "create", secret: quay });
    expect(plan({ actual: [managed("regcred-ghcr", "ghcr")], desired: desiredFor([]) }).secrets[0]).toMatchObject({
      since: now.toISOString(),
    });
  });
});

describe("planSecretSync: unavailable credentials keep the old secret until it expires", () => {
  const held = desiredFor(["quay.io/x"], new Map([["quay", { kind: "unavailable", reason: "AccessDenied" }]]));
  const expiring = (iso: string) => managed("regcred-quay", "quay", {}, { "regcred.dev/expires": iso });
  it.each<[string, ActualSecret[], string[], number]>([
    [
      "valid → kept",
      [expiring("20260110T060000Z")],
      [
        "noop regcred-quay: credentials unavailable (AccessDenied); keeping the existing secret until 2026-01-10T06:00:00.000Z",
      ],
      0,
    ],
    [
      "no expiry → kept",
      [managed("regcred-quay", "quay")],
      ["noop regcred-quay: credentials unavailable (AccessDenied); keeping the existing secret"],
      0,
    ],
    [
      "expired → delete",
      [expiring("20260109T235959Z")],
      [
        "delete regcred-quay: credentials unavailable (AccessDenied) and the secret expired at 2026-01-09T23:59:59.000Z",
      ],
      0,
    ],
    ["absent → nothing", [], [], 0],
    ["foreign → conflict", [foreign("regcred-quay")], [], 1],
  ])("%s", (_, actual, expected, conflicts) => {
    const p = plan({ desired: held, actual });
    expect(ops(p)).toEqual(expected);
    expect(p.conflicts).toHaveLength(conflicts);
  });
});

import { describe, expect, it } from "vitest";
import type { SyncCredential } from "./credentials";
import { computeDesiredState } from "./desired";
import { type ActualSecret, planSecretSync, type PlanInput } from "./plan";
import { mergePullSecrets } from "./wiring";
import type { LocalObjectReference, Workload } from "@/lib/integrations/kube/workloads";
import { extractWorkloadImages } from "./workload-images";

const now = new Date("2026-01-10T00:00:00Z");
const refs = (...names: string[]): LocalObjectReference[] => names.map((name) => ({ name }));
const names = (list: readonly LocalObjectReference[]) => list.map((r) => r.name);
const registries = ["quay", "ecr", "ghcr", "old"].map((id) => ({
  id,
  registry: `${id}.example.com`,
  type: "basic" as const,
}));
const credentials = new Map<string, SyncCredential>(
  registries.map((r) => [r.id, { kind: "dockerconfig", dockerconfigjson: "{}", expiresAt: null }]),
);
const secret = (name: string, managedBy = "regcred", extra: Record<string, string> = {}): ActualSecret => ({
  namespace: "a",
  name,
  type: "kubernetes.io/dockerconfigjson",
  labels: { "app.kubernetes.io/managed-by": managedBy, "regcred.dev/registry": name.slice(8) },
  annotations: extra,
});
const template = (images: string[], own: string[] = [], sa = "default") => {
  const containers = images.map((image, i) => ({ name: `c${i}`, image }));
  return { spec: { serviceAccountName: sa, imagePullSecrets: refs(...own), containers } };
};
const deployment = (images: string[], own: string[] = []): Workload => ({
  kind: "Deployment",
  metadata: { name: "web", namespace: "a" },
  spec: { template: template(images, own) },
});
const job = (images: string[]): Workload => ({
  kind: "Job",
  metadata: { name: "once", namespace: "a" },
  spec: { template: template(images, [], "batch") },
});

function plan(workloads: Workload[], extra: Partial<PlanInput>) {
  const activeRegistries = registries.filter((r) => !(extra.deletedRegistryIds ?? []).includes(r.id));
  const desired = computeDesiredState({
    clusterName: "c",
    namespaces: [{ name: "a" }],
    workloads: workloads.map(extractWorkloadImages),
    registries: activeRegistries,
    credentials,
  });
  return planSecretSync({ desired, actual: [], serviceAccounts: [], now, gracePeriodMs: 3_600_000, ...extra });
}
const sa = (...list: string[]) => [{ namespace: "a", name: "default", imagePullSecrets: refs(...list) }];

describe("planSecretSync: ServiceAccount wiring", () => {
  it.each<[string, Workload[], Partial<PlanInput>, string[] | null]>([
    [
      "adds ours after foreign entries",
      [deployment(["quay.example.com/x"])],
      { serviceAccounts: sa("corp", "other") },
      ["corp", "other", "regcred-quay"],
    ],
    [
      "keeps foreign order, gains ours, loses stale ours",
      [deployment(["quay.example.com/x", "ecr.example.com/y"])],
      {
        actual: [secret("regcred-ghcr", "regcred", { "regcred.dev/unused-since": "2026-01-01T00:00:00Z" })],
        serviceAccounts: sa("z-corp", "regcred-ghcr", "a-corp", "regcred-quay"),
      },
      ["z-corp", "a-corp", "regcred-quay", "regcred-ecr"],
    ],
    [
      "no patch when already wired",
      [deployment(["quay.example.com/x"])],
      { actual: [secret("regcred-quay")], serviceAccounts: sa("corp", "regcred-quay") },
      null,
    ],
    [
      "removes ours when no workload uses the ServiceAccount",
      [],
      { serviceAccounts: sa("corp", "regcred-quay") },
      ["corp"],
    ],
    [
      "keeps a reference while its secret is in the grace period",
      [],
      { actual: [secret("regcred-quay")], serviceAccounts: sa("regcred-quay") },
      null,
    ],
    [
      "keeps a reference to a foreign secret named regcred-",
      [],
      { actual: [secret("regcred-quay", "helm")], serviceAccounts: sa("regcred-quay") },
      null,
    ],
    ["keeps a regcred- reference Regcred does not know", [], { serviceAccounts: sa("regcred-unknown") }, null],
    [
      "removes a deleted registry's reference",
      [deployment(["quay.example.com/x"])],
      {
        actual: [secret("regcred-quay"), secret("regcred-old")],
        serviceAccounts: sa("regcred-old", "regcred-quay", "corp"),
        deletedRegistryIds: ["old"],
      },
      ["regcred-quay", "corp"],
    ],
    [
      "drops duplicate own entries",
      [deployment(["quay.example.com/x"])],
      { actual: [secret("regcred-quay")], serviceAccounts: sa("regcred-quay", "corp", "regcred-quay") },
      ["regcred-quay", "corp"],
    ],
  ])("%s", (_, workloads, extra, expected) => {
    const patch = plan(workloads, extra).serviceAccounts[0];
    expect(patch ? names(patch.imagePullSecrets) : null).toEqual(expected);
  });

  it("removes the reference once the grace period is over and the secret is deleted", () => {
    const p = plan([], {
      actual: [secret("regcred-quay", "regcred", { "regcred.dev/unused-since": "2026-01-01T00:00:00Z" })],
      serviceAccounts: sa("regcred-quay"),
    });
    expect(p.secrets.map((s) => s.op)).toEqual(["delete"]);
    expect(p.serviceAccounts).toEqual([
      { op: "patch-sa", namespace: "a", name: "default", imagePullSecrets: [], added: [], removed: ["regcred-quay"] },
    ]);
  });

  it("warns when a workload's own imagePullSecrets hide the ServiceAccount's", () => {
    const p = plan([deployment(["quay.example.com/x"], ["mine"])], {});
    expect(p.warnings).toEqual([
      { namespace: "a", workload: "Deployment/web", reason: expect.stringContaining("regcred-quay") },
    ]);
    expect(p.workloads).toEqual([]);
  });
});

describe("planSecretSync: podtemplate mode", () => {
  it("patches the template, unwires the ServiceAccount and keeps a bare Job's ServiceAccount wired", () => {
    const p = plan([deployment(["quay.example.com/x"], ["mine"]), job(["ecr.example.com/y"])], {
      wiring: "podtemplate",
      serviceAccounts: [...sa("regcred-quay"), { namespace: "a", name: "batch", imagePullSecrets: [] }],
    });
    const patched = refs("mine", "regcred-quay");
    expect(p.workloads).toEqual([
      {
        op: "patch-workload",
        namespace: "a",
        kind: "Deployment",
        name: "web",
        imagePullSecrets: patched,
        added: ["regcred-quay"],
        removed: [],
      },
    ]);
    expect(p.serviceAccounts.map((s) => [s.name, names(s.imagePullSecrets)])).toEqual([
      ["default", []],
      ["batch", ["regcred-ecr"]],
    ]);
    expect(p.warnings).toEqual([]);
  });

  it("removes template references when back in serviceaccount mode", () => {
    const p = plan([deployment(["quay.example.com/x"], ["mine", "regcred-quay"])], {
      actual: [secret("regcred-quay")],
    });
    expect(p.workloads.map((w) => names(w.imagePullSecrets))).toEqual([["mine"]]);
  });
});

describe("mergePullSecrets", () => {
  const own = (n: string) => n.startsWith("regcred-");
  it.each<[string[], string[], string[], string[], string[]]>([
    [[], [], [], [], []],
    [["x"], ["regcred-a"], [], ["x", "regcred-a"], ["regcred-a"]],
    [["regcred-b", "x"], ["regcred-a"], [], ["x", "regcred-a"], ["regcred-a"]],
    [["regcred-b", "x"], ["regcred-a"], ["regcred-b"], ["regcred-b", "x", "regcred-a"], ["regcred-a"]],
  ])("%j + wanted %j (keeping %j) → %j", (current, wanted, keep, expected, added) => {
    const result = mergePullSecrets(refs(...current), wanted, (n) => keep.includes(n), own);
    expect(names(result.imagePullSecrets)).toEqual(expected);
    expect(result.added).toEqual(added);
  });

  it("keeps foreign entries untouched, even nameless ones", () => {
    expect(mergePullSecrets([{}, { name: "x" }], [], () => false, own).imagePullSecrets).toEqual([{}, { name: "x" }]);
  });
});

import { describe, expect, it } from "vitest";
import type { SyncCredential } from "./credentials";
import { computeDesiredState, type DesiredStateInput, type SyncRegistry } from "./desired";
import type { Workload } from "@/lib/integrations/kube/workloads";
import { extractWorkloadImages, type WorkloadImages } from "./workload-images";

const expiresAt = new Date("2026-03-01T12:00:00Z");
const registries: SyncRegistry[] = [
  { id: "hub", registry: "docker.io", type: "public" },
  { id: "quay", registry: "quay.io", type: "basic" },
  { id: "quay-team", registry: "quay.io/team", type: "basic" },
  { id: "ecr", registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", type: "amazon_ecr" },
  { id: "corp", registry: "registry.corp.example", type: "secret_ref" },
  { id: "corp-open", registry: "registry.corp.example/open", type: "public" },
  { id: "broken", registry: "broken.example.com", type: "basic" },
];
const dc = (user: string, exp: Date | null = null): SyncCredential => ({
  kind: "dockerconfig",
  dockerconfigjson: `{"auths":{"x":{"username":"${user}"}}}`,
  expiresAt: exp,
});
const credentials = new Map<string, SyncCredential>([
  ["quay", dc("quay")],
  ["quay-team", dc("team")],
  ["ecr", dc("AWS", expiresAt)],
  ["corp", { kind: "copy", sourceType: "kubernetes.io/dockercfg", data: { ".dockercfg": "e30=" } }],
  ["broken", { kind: "unavailable", reason: "password rejected" }],
]);
const ecrImage = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1";

function pod(
  namespace: string,
  images: { containers?: string[]; init?: string[]; ephemeral?: string[] },
  sa?: string,
): WorkloadImages {
  const c = (list: string[] = []) => list.map((image, i) => ({ name: `c${i}`, image }));
  const workload: Workload = {
    kind: "Pod",
    metadata: { name: `p-${images.containers?.[0] ?? "x"}`, namespace },
    spec: {
      serviceAccountName: sa,
      containers: c(images.containers),
      initContainers: c(images.init),
      ephemeralContainers: c(images.ephemeral),
    },
  };
  return extractWorkloadImages(workload);
}

function cronJob(namespace: string, image: string): WorkloadImages {
  const template = { spec: { serviceAccountName: "cron", containers: [{ name: "c", image }] } };
  return extractWorkloadImages({
    kind: "CronJob",
    metadata: { name: "nightly", namespace },
    spec: { jobTemplate: { spec: { template } } },
  });
}

function compute(workloads: WorkloadImages[], extra: Partial<DesiredStateInput> = {}) {
  const namespaces = [{ name: "a", labels: { env: "production" } }, { name: "b" }];
  return computeDesiredState({ clusterName: "prod", namespaces, workloads, registries, credentials, ...extra });
}
const secretsOf = (state: ReturnType<typeof compute>) => state.secrets.map((s) => `${s.namespace}/${s.name}`);

describe("computeDesiredState: which secrets", () => {
  it.each<[string, WorkloadImages[], string[]]>([
    ["an init container's image", [pod("a", { init: ["quay.io/x/migrate"] })], ["a/regcred-quay"]],
    ["an ephemeral container's image", [pod("a", { ephemeral: ["quay.io/x/debug"] })], ["a/regcred-quay"]],
    ["a CronJob's image", [cronJob("b", ecrImage)], ["b/regcred-ecr"]],
    [
      "the most specific registry (with path)",
      [pod("a", { containers: ["quay.io/team/app"] })],
      ["a/regcred-quay-team"],
    ],
    ["the host-only registry for other paths", [pod("a", { containers: ["quay.io/other/app"] })], ["a/regcred-quay"]],
    [
      "the path registry by string prefix, as the kubelet does",
      [pod("a", { containers: ["quay.io/teamx/app"] })],
      ["a/regcred-quay-team"],
    ],
    ["nothing for a public registry", [pod("a", { containers: ["nginx", "docker.io/library/redis"] })], []],
    [
      "nothing when a public registry is more specific",
      [pod("a", { containers: ["registry.corp.example/open/tool"] })],
      [],
    ],
    ["nothing for an unknown registry", [pod("a", { containers: ["ghcr.io/x/y"] })], []],
    ["nothing outside the scope", [pod("kube-system", { containers: ["quay.io/x/y"] })], []],
    [
      "one secret per registry per namespace",
      [pod("a", { containers: ["quay.io/x/a", "quay.io/x/b"] }), pod("a", { containers: ["quay.io/x/c"] })],
      ["a/regcred-quay"],
    ],
    [
      "the ECR token fanned out",
      [pod("a", { containers: [ecrImage] }), pod("b", { containers: [ecrImage] })],
      ["a/regcred-ecr", "b/regcred-ecr"],
    ],
  ])("%s", (_, workloads, expected) => {
    expect(secretsOf(compute(workloads))).toEqual(expected);
  });
});

describe("computeDesiredState: secret content", () => {
  const state = compute([
    pod("a", { containers: [ecrImage, "registry.corp.example/app"] }),
    pod("b", { containers: [ecrImage] }),
  ]);
  const [copy, ecrA, ecrB] = state.secrets;

  it("labels an expiring dockerconfigjson secret", () => {
    expect(ecrA).toMatchObject({
      type: "kubernetes.io/dockerconfigjson",
      data: { ".dockerconfigjson": Buffer.from(`{"auths":{"x":{"username":"AWS"}}}`).toString("base64") },
      labels: {
        "regcred.dev/registry": "ecr",
        "app.kubernetes.io/managed-by": "regcred",
        "regcred.dev/expires": "20260301T120000Z",
        "regcred.dev/environment": "prod.a",
      },
      annotations: {
        "argocd.argoproj.io/compare-options": "IgnoreExtraneous",
        "regcred.dev/content-hash": ecrA?.contentHash,
      },
    });
    expect(ecrB?.contentHash).toBe(ecrA?.contentHash);
  });

  it("copies a secret_ref source with its own type and no expiry label", () => {
    expect(copy).toMatchObject({
      name: "regcred-corp",
      type: "kubernetes.io/dockercfg",
      data: { ".dockercfg": "e30=" },
    });
    expect(copy?.labels).not.toHaveProperty("regcred.dev/expires");
  });

  it("takes the environment from a namespace label when configured", () => {
    const labelled = compute([pod("a", { containers: [ecrImage] }), pod("b", { containers: [ecrImage] })], {
      environmentLabel: "env",
    });
    expect(labelled.secrets.map((s) => s.labels["regcred.dev/environment"])).toEqual(["production", "prod.b"]);
  });

  it("changes the content hash when credentials change", () => {
    const changed = compute([pod("a", { containers: [ecrImage] })], {
      credentials: new Map([["ecr", dc("AWS2", expiresAt)]]),
    });
    expect(changed.secrets[0]?.contentHash).not.toBe(ecrA?.contentHash);
  });
});

describe("computeDesiredState: warnings, held secrets and ServiceAccounts", () => {
  it("reports unparseable images as warnings", () => {
    const state = compute([pod("a", { containers: ["Quay.io/X/Y", "quay.io/x/ok"] })]);
    expect(state.warnings).toEqual([
      {
        kind: "image",
        namespace: "a",
        workload: "Pod/p-Quay.io/X/Y",
        image: "Quay.io/X/Y",
        reason: expect.stringContaining("lowercase"),
      },
    ]);
    expect(secretsOf(state)).toEqual(["a/regcred-quay"]);
  });

  it.each<[string, WorkloadImages[], Partial<DesiredStateInput>, string]>([
    ["unavailable credentials", [pod("a", { containers: ["broken.example.com/x"] })], {}, "password rejected"],
    [
      "no credentials supplied",
      [pod("a", { containers: ["quay.io/x"] })],
      { credentials: new Map() },
      "no credentials were supplied",
    ],
  ])("holds the secret and warns once per registry for %s", (_, workloads, extra, reason) => {
    const state = compute(workloads, extra);
    expect(state.secrets).toEqual([]);
    expect(state.held).toEqual([expect.objectContaining({ namespace: "a", reason: expect.stringContaining(reason) })]);
    expect(state.warnings).toEqual([
      expect.objectContaining({ kind: "credentials", namespaces: ["a"], reason: expect.stringContaining(reason) }),
    ]);
  });

  it("dedupes ServiceAccounts by namespace, name and registry", () => {
    const state = compute([
      pod("a", { containers: ["quay.io/x/a"] }),
      pod("a", { containers: ["quay.io/x/b", ecrImage] }),
      pod("a", { containers: ["quay.io/team/c"] }, "builder"),
      pod("b", { containers: ["nginx"] }, "builder"),
    ]);
    expect(state.serviceAccounts).toEqual([
      { namespace: "a", name: "builder", secretNames: ["regcred-quay-team"] },
      { namespace: "a", name: "default", secretNames: ["regcred-ecr", "regcred-quay"] },
    ]);
    expect(state.workloads.map((w) => w.secretNames)).toEqual([
      ["regcred-quay"],
      ["regcred-ecr", "regcred-quay"],
      ["regcred-quay-team"],
      [],
    ]);
    expect(state.registryIds).toContain("hub");
  });
});

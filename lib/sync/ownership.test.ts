import { describe, expect, it } from "vitest";
import type { SyncCredential } from "./credentials";
import { computeDesiredState } from "./desired";
import {
  chooseSecretName,
  isLegacySecret,
  isOwnedBy,
  leaseNameFor,
  type NameClaim,
  type Owner,
  ownerLabels,
  recordedPullSecrets,
  recordPullSecrets,
} from "./ownership";
import { type ActualSecret, planSecretSync, type PlanInput } from "./plan";
import { extractWorkloadImages } from "./workload-images";

const me: Owner = { installation: "k3x9q2m7p1", org: "acme" };
const otherInstall: Owner = { installation: "z8w8w8w8w8", org: "acme" };
const otherOrg: Owner = { installation: "k3x9q2m7p1", org: "beta" };
const base = { "app.kubernetes.io/managed-by": "regcred", "regcred.dev/registry": "quay" };
const meta = (labels: Record<string, string>) => ({ labels });

describe("ownership labels", () => {
  it.each<[string, Record<string, string>, boolean, boolean]>([
    ["mine", { ...base, ...ownerLabels(me) }, true, false],
    ["another installation's", { ...base, ...ownerLabels(otherInstall) }, false, false],
    ["another org's of this installation", { ...base, ...ownerLabels(otherOrg) }, false, false],
    ["the previous release's", base, false, true],
    ["identity labels without Regcred's", ownerLabels(me), false, false],
  ])("%s", (_, labels, owned, legacy) => {
    expect(isOwnedBy(meta(labels), me)).toBe(owned);
    expect(isLegacySecret(meta(labels))).toBe(legacy);
  });
});

describe("chooseSecretName", () => {
  const claims = (map: Record<string, NameClaim>) => (name: string) => map[name] ?? "free";
  const alt = chooseSecretName("quay", me, () => "other");
  it.each<[string, Record<string, NameClaim>, string]>([
    ["free → regcred-<id>", {}, "regcred-quay"],
    ["held by me → kept", { "regcred-quay": "mine" }, "regcred-quay"],
    ["held by another Regcred owner → own alternate", { "regcred-quay": "other" }, alt],
    ["alternate already mine → kept even once the primary is free", { [alt]: "mine" }, alt],
    [
      "a secret Regcred does not manage → primary (a conflict, nothing written)",
      { "regcred-quay": "foreign" },
      "regcred-quay",
    ],
  ])("%s", (_, map, expected) => {
    expect(chooseSecretName("quay", me, claims(map))).toBe(expected);
  });

  it("alternates differ per installation and per org", () => {
    const names = [me, otherInstall, otherOrg].map((o) => chooseSecretName("quay", o, () => "other"));
    expect(new Set(names).size).toBe(3);
    expect(names.every((n) => /^regcred-quay-[0-9a-f]{8}$/.test(n))).toBe(true);
  });
});

describe("ServiceAccount ownership record", () => {
  it("keeps other orgs' entries and drops the key when empty", () => {
    const first = recordPullSecrets({}, me, ["regcred-b", "regcred-a"]);
    expect(first).toBe('{"acme":["regcred-a","regcred-b"]}');
    const key = "regcred.dev/pull-secrets.k3x9q2m7p1";
    const both = recordPullSecrets({ annotations: { [key]: first! } }, otherOrg, ["regcred-c"]);
    expect(recordedPullSecrets({ annotations: { [key]: both! } }, me)).toEqual(["regcred-a", "regcred-b"]);
    expect(recordedPullSecrets({ annotations: { [key]: both! } }, otherOrg)).toEqual(["regcred-c"]);
    expect(recordedPullSecrets({ annotations: { [key]: both! } }, otherInstall)).toEqual([]);
    expect(recordPullSecrets({ annotations: { [key]: first! } }, me, [])).toBeNull();
  });

  it("reads a damaged annotation as no record", () => {
    expect(recordedPullSecrets({ annotations: { "regcred.dev/pull-secrets.k3x9q2m7p1": "{not json" } }, me)).toEqual(
      [],
    );
  });
});

describe("leaseNameFor", () => {
  it.each([
    ["k3x9q2m7p1", "3f1e6c2a-9b8d-4c1e-8f00-0123456789ab"],
    ["UPPER_case.id", "cluster"],
    ["k".repeat(40), "3f1e6c2a-9b8d-4c1e-8f00-0123456789ab"],
  ])("%s + %s is a DNS-1123 label of at most 63 characters", (installation, cluster) => {
    const name = leaseNameFor(installation, cluster);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(name).not.toBe("regcred-controller");
  });

  it("differs per installation and per cluster", () => {
    const names = [leaseNameFor("a1", "c1"), leaseNameFor("a2", "c1"), leaseNameFor("a1", "c2")];
    expect(new Set(names).size).toBe(3);
  });
});

describe("planSecretSync with an owner", () => {
  const now = new Date("2026-01-10T00:00:00Z");
  const cred: SyncCredential = {
    kind: "dockerconfig",
    dockerconfigjson: '{"auths":{"quay.io":{"username":"q"}}}',
    expiresAt: null,
  };
  const pod = extractWorkloadImages({
    kind: "Pod",
    metadata: { name: "p", namespace: "a" },
    spec: { containers: [{ name: "c", image: "quay.io/x/app" }] },
  });
  const registries = [{ id: "quay", registry: "quay.io", type: "basic" as const }];
  const desiredWith = (names?: (ns: string, id: string) => string) =>
    computeDesiredState({
      clusterName: "c",
      namespaces: [{ name: "a" }],
      workloads: [pod],
      registries,
      credentials: new Map([["quay", cred]]),
      owner: me,
      secretName: names,
    });
  const desired = desiredWith();
  const secret = (name: string, labels: Record<string, string>, extra: Partial<ActualSecret> = {}): ActualSecret => ({
    namespace: "a",
    name,
    type: "kubernetes.io/dockerconfigjson",
    labels: { ...base, ...labels },
    ...extra,
  });
  const plan = (extra: Partial<PlanInput>) =>
    planSecretSync({ desired, actual: [], serviceAccounts: [], now, gracePeriodMs: 3_600_000, owner: me, ...extra });
  const ops = (p: ReturnType<typeof plan>) => p.secrets.map((s) => `${s.op} ${s.name}${s.adopt ? " (adopt)" : ""}`);

  it("labels what it creates with the installation and the org", () => {
    expect(desired.secrets[0]!.labels).toMatchObject({
      "regcred.dev/installation": me.installation,
      "regcred.dev/org": "acme",
    });
  });

  it.each<[string, Partial<PlanInput>, string[], number]>([
    [
      "another installation's regcred-quay → conflict, untouched",
      { actual: [secret("regcred-quay", ownerLabels(otherInstall))] },
      [],
      1,
    ],
    [
      "another org's regcred-quay → conflict, untouched",
      { actual: [secret("regcred-quay", ownerLabels(otherOrg))] },
      [],
      1,
    ],
    [
      "previous release's, recorded here → adopted by an update",
      { actual: [secret("regcred-quay", {})], adoptable: new Set(["a/regcred-quay"]) },
      ["update regcred-quay (adopt)"],
      0,
    ],
    ["previous release's, not recorded here → conflict", { actual: [secret("regcred-quay", {})] }, [], 1],
    [
      "another installation's unused secret → not marked, not deleted",
      {
        actual: [secret("regcred-old", { "regcred.dev/registry": "old", ...ownerLabels(otherInstall) })],
        deletedRegistryIds: ["old"],
      },
      ["create regcred-quay"],
      0,
    ],
    [
      "previous release's unused secret, recorded → labelled first",
      {
        actual: [secret("regcred-ghcr", { "regcred.dev/registry": "ghcr" })],
        adoptable: new Set(["a/regcred-ghcr"]),
        desired: { ...desired, registryIds: ["ghcr", "quay"] },
      },
      ["create regcred-quay", "adopt regcred-ghcr (adopt)"],
      0,
    ],
  ])("%s", (_, input, expected, conflicts) => {
    const p = plan(input);
    expect(ops(p)).toEqual(expected);
    expect(p.conflicts).toHaveLength(conflicts);
  });

  it("serves under its own name beside another owner's secret, reports it, and wires only its own entry", () => {
    const theirs = secret("regcred-quay", ownerLabels(otherInstall));
    const alt = chooseSecretName("quay", me, () => "other");
    const p = plan({
      desired: desiredWith(() => alt),
      actual: [theirs],
      serviceAccounts: [{ namespace: "a", name: "default", imagePullSecrets: [{ name: "regcred-quay" }] }],
    });
    expect(ops(p)).toEqual([`create ${alt}`]);
    expect(p.conflicts[0]!.reason).toContain(`uses ${alt} instead`);
    expect(p.serviceAccounts).toMatchObject([
      { imagePullSecrets: [{ name: "regcred-quay" }, { name: alt }], added: [alt], removed: [], owned: [alt] },
    ]);
  });

  it("removes only entries it owns: by its secret's labels, or (secret gone) by its record on the ServiceAccount", () => {
    const theirs = secret("regcred-quay", ownerLabels(otherInstall));
    const annotations = { "regcred.dev/pull-secrets.k3x9q2m7p1": '{"acme":["regcred-gone"]}' };
    const sa = {
      namespace: "a",
      name: "default",
      annotations,
      imagePullSecrets: [{ name: "regcred-quay" }, { name: "regcred-gone" }, { name: "regcred-unknown" }],
    };
    const p = plan({
      desired: { ...desired, secrets: [], serviceAccounts: [], workloads: [] },
      actual: [theirs],
      serviceAccounts: [sa],
    });
    expect(p.serviceAccounts).toMatchObject([
      {
        removed: ["regcred-gone"],
        imagePullSecrets: [{ name: "regcred-quay" }, { name: "regcred-unknown" }],
        owned: [],
      },
    ]);
  });

  it("records the previous release's entries of an adopted secret without changing the list", () => {
    const sa = { namespace: "a", name: "default", imagePullSecrets: [{ name: "regcred-quay" }] };
    const p = plan({
      actual: [secret("regcred-quay", {})],
      adoptable: new Set(["a/regcred-quay"]),
      serviceAccounts: [sa],
    });
    expect(p.serviceAccounts).toMatchObject([{ added: [], removed: [], owned: ["regcred-quay"] }]);
  });
});

import { describe, expect, it } from "vitest";
import { encodeBase64Utf8 } from "../sync/content";
import {
  buildSecretRows,
  type ClusterInventory,
  indexReferences,
  isRegcredSecret,
  pullSecretHosts,
  type SecretObject,
} from "./rows";

const now = new Date("2026-05-01T12:00:00Z");
const managedLabels = (registry: string, expires?: string) => ({
  "app.kubernetes.io/managed-by": "regcred",
  "regcred.dev/registry": registry,
  ...(expires ? { "regcred.dev/expires": expires } : {}),
});
const config = (auths: Record<string, unknown>) => ({
  ".dockerconfigjson": encodeBase64Utf8(JSON.stringify({ auths })),
});
const canary = "canary-password-7f3a";
const entry = { username: "u", password: canary, auth: encodeBase64Utf8(`u:${canary}`) };

function secret(patch: Partial<SecretObject> & Pick<SecretObject, "name">): SecretObject {
  return {
    namespace: "team-a",
    type: "kubernetes.io/dockerconfigjson",
    labels: {},
    data: config({ "registry.example.com": entry }),
    createdAt: "2026-04-30T12:00:00Z",
    ...patch,
  };
}

describe("isRegcredSecret", () => {
  it.each<[string, Pick<SecretObject, "name" | "type" | "labels">, boolean]>([
    [
      "managed dockerconfigjson",
      { name: "regcred-harbor", type: "kubernetes.io/dockerconfigjson", labels: managedLabels("harbor") },
      true,
    ],
    [
      "managed copy of another type (secret_ref)",
      { name: "regcred-ref", type: "kubernetes.io/dockercfg", labels: managedLabels("ref") },
      true,
    ],
    [
      "foreign regcred-* dockerconfigjson",
      { name: "regcred-manual", type: "kubernetes.io/dockerconfigjson", labels: {} },
      true,
    ],
    ["foreign regcred-* Opaque", { name: "regcred-notes", type: "Opaque", labels: {} }, false],
    ["other dockerconfigjson", { name: "ghcr-pull", type: "kubernetes.io/dockerconfigjson", labels: {} }, false],
    [
      "managed-by without registry label",
      { name: "regcred-x", type: "Opaque", labels: { "app.kubernetes.io/managed-by": "regcred" } },
      false,
    ],
  ])("%s → %s", (_name, s, expected) => expect(isRegcredSecret(s)).toBe(expected));
});

describe("pullSecretHosts", () => {
  it.each<[string, Pick<SecretObject, "type" | "data">, string[], RegExp | null]>([
    [
      "two hosts",
      { type: "kubernetes.io/dockerconfigjson", data: config({ "a.io": entry, "https://index.docker.io/v1/": entry }) },
      ["a.io", "https://index.docker.io/v1/"],
      null,
    ],
    ["no data key", { type: "kubernetes.io/dockerconfigjson", data: {} }, [], /no \.dockerconfigjson key/],
    ["not base64", { type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": "%%%" } }, [], /not base64/],
    [
      "not JSON",
      { type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": encodeBase64Utf8("{nope") } },
      [],
      /does not parse: the docker config is not valid JSON/,
    ],
    [
      "legacy .dockercfg",
      {
        type: "kubernetes.io/dockercfg",
        data: { ".dockercfg": encodeBase64Utf8(JSON.stringify({ "old.io": entry })) },
      },
      ["old.io"],
      null,
    ],
  ])("%s", (_name, s, hosts, problem) => {
    const r = pullSecretHosts(s);
    expect(r.hosts).toEqual(hosts);
    if (problem) expect(r.problem).toMatch(problem);
    else expect(r.problem).toBeNull();
  });
});

describe("indexReferences", () => {
  it("indexes ServiceAccounts and workloads per namespace and secret, sorted, each once", () => {
    const index = indexReferences(
      [
        { namespace: "a", name: "default", imagePullSecrets: ["regcred-x", "regcred-x"] },
        { namespace: "a", name: "builder", imagePullSecrets: ["regcred-x"] },
        { namespace: "b", name: "default", imagePullSecrets: ["regcred-x"] },
      ],
      [
        { kind: "Deployment", namespace: "a", name: "web", imagePullSecrets: ["regcred-x", "other"] },
        { kind: "CronJob", namespace: "a", name: "nightly", imagePullSecrets: ["regcred-x"] },
      ],
    );
    expect(index.get("a/regcred-x")).toEqual({
      serviceAccounts: ["builder", "default"],
      workloads: [
        { kind: "CronJob", name: "nightly" },
        { kind: "Deployment", name: "web" },
      ],
    });
    expect(index.get("b/regcred-x")).toEqual({ serviceAccounts: ["default"], workloads: [] });
    expect(index.get("a/other")).toEqual({ serviceAccounts: [], workloads: [{ kind: "Deployment", name: "web" }] });
  });
});

describe("buildSecretRows", () => {
  const inv = (secrets: SecretObject[]): ClusterInventory => ({
    cluster: { id: "c1", name: "prod" },
    secrets,
    serviceAccounts: [{ namespace: "team-a", name: "default", imagePullSecrets: ["regcred-harbor"] }],
    workloads: [{ kind: "Deployment", namespace: "team-a", name: "api", imagePullSecrets: ["regcred-harbor"] }],
  });
  const registries = [
    { id: "harbor", type: "basic" as const },
    { id: "ecr", type: "amazon_ecr" as const },
  ];

  it.each<[string, SecretObject, Record<string, unknown>]>([
    [
      "valid, with references",
      secret({ name: "regcred-harbor", labels: managedLabels("harbor", "20260601T000000Z") }),
      {
        status: "valid",
        managed: true,
        expires_at: "2026-06-01T00:00:00.000Z",
        registry: { id: "harbor", exists: true, hosts: ["registry.example.com"] },
        references: { service_accounts: ["default"], workloads: [{ kind: "Deployment", name: "api" }] },
      },
    ],
    [
      "expired",
      secret({ name: "regcred-harbor", namespace: "b", labels: managedLabels("harbor", "20260501T110000Z") }),
      { status: "expired", references: { service_accounts: [], workloads: [] } },
    ],
    [
      "expiring soon (ECR, 2 h of 12 h)",
      secret({ name: "regcred-ecr", labels: managedLabels("ecr", "20260501T140000Z") }),
      { status: "expiring_soon" },
    ],
    [
      "orphaned",
      secret({ name: "regcred-gone", labels: managedLabels("gone", "20260601T000000Z") }),
      { status: "orphaned", registry: { id: "gone", exists: false, hosts: ["registry.example.com"] } },
    ],
    [
      "not managed, registry id from the name",
      secret({ name: "regcred-harbor", namespace: "c" }),
      {
        status: "not_managed",
        managed: false,
        registry: { id: "harbor", exists: true, hosts: ["registry.example.com"] },
      },
    ],
    [
      "bad expiry label: valid with a note",
      secret({ name: "regcred-harbor", labels: managedLabels("harbor", "2026-06-01") }),
      {
        status: "valid",
        expires_at: null,
        notes: ['the regcred.dev/expires label "2026-06-01" is not YYYYMMDDTHHMMSSZ'],
      },
    ],
  ])("%s", (_name, s, expected) => {
    const [row] = buildSecretRows(inv([s]), registries, now);
    expect(row).toMatchObject({ cluster: "prod", cluster_id: "c1", namespace: s.namespace, name: s.name, ...expected });
    expect(JSON.stringify(row)).not.toContain(canary);
    expect(JSON.stringify(row)).not.toContain(entry.auth);
  });

  it("skips other secrets and lists an object returned by both LISTs once", () => {
    const managed = secret({ name: "regcred-harbor", labels: managedLabels("harbor") });
    const rows = buildSecretRows(inv([managed, secret({ name: "ghcr" }), { ...managed }]), registries, now);
    expect(rows.map((r) => r.name)).toEqual(["regcred-harbor"]);
  });
});

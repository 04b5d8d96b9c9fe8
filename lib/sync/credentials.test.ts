import { describe, expect, it } from "vitest";
import type { RegistryType } from "@/lib/registries/schema";
import {
  buildRegistrySecretData,
  copySecretCredential,
  secretRefRefusal,
  secretRefSource,
  type EcrToken,
  type SecretRefTarget,
  type StoredCredentials,
} from "./credentials";

const a: SecretRefTarget = { namespace: "infra", secret: "pull-a" };
const star: SecretRefTarget = { namespace: "infra", secret: "pull-star" };

describe("secretRefSource", () => {
  it.each<[string, Record<string, SecretRefTarget> | undefined, string, SecretRefTarget | null]>([
    ["the cluster's own key beats *", { "*": star, prod: a }, "prod", a],
    ["* is the fallback", { "*": star, prod: a }, "staging", star],
    ["a cluster key alone", { prod: a }, "prod", a],
    ["no match", { prod: a }, "staging", null],
    ["no secrets at all", undefined, "prod", null],
    ["no prototype keys", { prod: a }, "constructor", null],
  ])("%s", (_, secrets, cluster, expected) => {
    expect(secretRefSource(secrets, cluster)).toEqual(expected);
  });
});

const expiresAt = new Date("2026-01-01T12:00:00Z");
const ecrHost = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const ecrToken: EcrToken = { authorizationToken: Buffer.from("AWS:tok:en").toString("base64"), expiresAt };

function auths(json: string) {
  return (JSON.parse(json) as { auths: Record<string, { username: string; password: string; auth: string }> }).auths;
}

describe("buildRegistrySecretData", () => {
  it.each<[RegistryType, string, StoredCredentials | EcrToken, string, string, Date | null]>([
    ["basic", "registry.example.com/team", { username: "u", password: "p" }, "registry.example.com/team", "u", null],
    ["basic", "docker.io", { username: "u", password: "p", expiresAt }, "https://index.docker.io/v1/", "u", expiresAt],
    ["azure_acr", "acme.azurecr.io", { username: "sp-id", password: "sp-secret" }, "acme.azurecr.io", "sp-id", null],
    [
      "google_gcr",
      "europe-docker.pkg.dev/proj",
      { password: '{"type":"service_account"}' },
      "europe-docker.pkg.dev/proj",
      "_json_key",
      null,
    ],
    ["amazon_ecr", ecrHost, ecrToken, ecrHost, "AWS", expiresAt],
  ])("%s %s", (type, registry, creds, server, username, expiry) => {
    const result = buildRegistrySecretData({ type, registry }, creds);
    if (result.kind !== "dockerconfig") throw new Error(JSON.stringify(result));
    const entry = auths(result.dockerconfigjson)[server];
    expect(entry?.username).toBe(username);
    expect(Buffer.from(entry?.auth ?? "", "base64").toString()).toBe(`${username}:${entry?.password}`);
    expect(result.expiresAt).toEqual(expiry);
  });

  it("splits an ECR token at the first colon", () => {
    const result = buildRegistrySecretData({ type: "amazon_ecr", registry: ecrHost }, ecrToken);
    expect(result.kind === "dockerconfig" && auths(result.dockerconfigjson)[ecrHost]?.password).toBe("tok:en");
  });

  it.each<[string, RegistryType, StoredCredentials | EcrToken | null, string]>([
    ["public", "public", null, "need no pull secret"],
    ["secret_ref", "secret_ref", null, "copy an existing secret"],
    ["ECR without a token", "amazon_ecr", { username: "AKIA", password: "secret" }, "no ECR token"],
    ["a token for a non-ECR registry", "basic", ecrToken, "only ECR"],
    [
      "a malformed token",
      "amazon_ecr",
      { authorizationToken: Buffer.from("nocolon").toString("base64"), expiresAt },
      "not base64",
    ],
    ["missing password", "basic", { username: "u" }, "no username and password"],
    ["missing username", "azure_acr", { password: "p" }, "no username and password"],
    ["no creds", "basic", null, "no username and password"],
  ])("reports %s as unavailable", (_, type, creds, reason) => {
    const result = buildRegistrySecretData({ type, registry: ecrHost }, creds);
    expect(result).toEqual({ kind: "unavailable", reason: expect.stringContaining(reason) });
  });
});

describe("secretRefRefusal", () => {
  it.each([
    ["allowed", ["infra"], null],
    [
      "empty allow-list",
      [],
      "the source namespace infra is not in this cluster's secret_ref namespaces (an admin allows it in the cluster's settings)",
    ],
    ["another namespace", ["kube-system-2", "infr"], expect.stringContaining("infra is not in")],
  ] as const)("%s", (_, allowed, expected) => {
    expect(secretRefRefusal(a, allowed)).toEqual(expected);
  });
});

describe("copySecretCredential", () => {
  const data = { ".dockerconfigjson": "e30=" };
  it.each([
    [
      "copies type and data",
      { type: "kubernetes.io/dockerconfigjson", data },
      a,
      { kind: "copy", sourceType: "kubernetes.io/dockerconfigjson", data },
    ],
    [
      "copies only .dockerconfigjson",
      { type: "kubernetes.io/dockerconfigjson", data: { ...data, extra: "eA==" } },
      a,
      { kind: "copy", sourceType: "kubernetes.io/dockerconfigjson", data },
    ],
    [
      "refuses a source without a type (Opaque)",
      { data },
      a,
      {
        kind: "unavailable",
        reason:
          "the source secret infra/pull-a is of type Opaque, not kubernetes.io/dockerconfigjson; nothing is copied",
      },
    ],
    [
      "refuses an Opaque source",
      { type: "Opaque", data: { token: "eA==" } },
      a,
      { kind: "unavailable", reason: expect.stringContaining("is of type Opaque") },
    ],
    [
      "refuses a legacy dockercfg source",
      { type: "kubernetes.io/dockercfg", data: { ".dockercfg": "e30=" } },
      a,
      { kind: "unavailable", reason: expect.stringContaining("is of type kubernetes.io/dockercfg") },
    ],
    [
      "refuses a dockerconfigjson source without .dockerconfigjson",
      { type: "kubernetes.io/dockerconfigjson", data: { other: "e30=" } },
      a,
      { kind: "unavailable", reason: "the source secret infra/pull-a has no .dockerconfigjson" },
    ],
    [
      "no ref",
      { data },
      null,
      { kind: "unavailable", reason: expect.stringContaining("no source secret is configured") },
    ],
    [
      "source missing",
      null,
      a,
      { kind: "unavailable", reason: "the source secret infra/pull-a was not found in this cluster" },
    ],
    [
      "source empty",
      { type: "kubernetes.io/dockerconfigjson", data: {} },
      a,
      { kind: "unavailable", reason: "the source secret infra/pull-a has no .dockerconfigjson" },
    ],
  ] as const)("%s", (_, source, ref, expected) => {
    expect(copySecretCredential(source, ref)).toEqual(expected);
  });
});

import { describe, expect, it } from "vitest";
import { buildDockerConfigJson } from "@/lib/images/dockerconfig";
import type { SyncCredential } from "@/lib/sync/credentials";
import { pullCredentials } from "./pull-credentials";

const config = (entries: Array<[string, string]>) =>
  JSON.stringify(buildDockerConfigJson(entries.map(([registry, password]) => ({ registry, username: "u", password }))));
const dockerconfig = (entries: Array<[string, string]>): SyncCredential => ({
  kind: "dockerconfig",
  dockerconfigjson: config(entries),
  expiresAt: null,
});
const copy = (entries: Array<[string, string]>, sourceType = "kubernetes.io/dockerconfigjson"): SyncCredential => ({
  kind: "copy",
  sourceType,
  data: { ".dockerconfigjson": Buffer.from(config(entries)).toString("base64") },
});
const target = { host: "reg.example", repository: "team/app" };
const basic = { type: "basic" as const };

describe("pullCredentials picks what the kubelet would send", () => {
  it.each<[string, { type: "basic" | "public" | "secret_ref" }, SyncCredential | undefined, unknown]>([
    ["public: anonymous", { type: "public" }, undefined, null],
    ["no credential: unavailable", basic, undefined, "unavailable"],
    ["unavailable stays unavailable", basic, { kind: "unavailable", reason: "x" }, "unavailable"],
    ["its own entry", basic, dockerconfig([["reg.example", "p1"]]), { username: "u", password: "p1" }],
    [
      "the most specific of several entries",
      { type: "secret_ref" },
      copy([
        ["reg.example", "host"],
        ["reg.example/team", "team"],
        ["reg.example/other", "other"],
      ]),
      { username: "u", password: "team" },
    ],
    ["no entry for the host: anonymous", basic, dockerconfig([["elsewhere.example", "p"]]), null],
    ["a copied secret of another type: unavailable", { type: "secret_ref" }, copy([], "Opaque"), "unavailable"],
  ])("%s", (_name, registry, credential, expected) => {
    expect(pullCredentials(registry, credential, target)).toEqual(expected);
  });
});

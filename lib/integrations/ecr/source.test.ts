import { describe, expect, it } from "vitest";
import { classifyStsError } from "./errors";
import { planSource, roleSessionName } from "./source";

const role = "arn:aws:iam::123456789012:role/pull";
const keys = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret-canary-123" };

describe("planSource", () => {
  it.each<[string, Parameters<typeof planSource>[0], unknown]>([
    ["keys", keys, { ok: true, value: { base: "keys", roleArn: null, externalId: false } }],
    [
      "keys and a role with an external ID",
      { ...keys, roleArn: role, externalId: "regcred-x" },
      { ok: true, value: { base: "keys", roleArn: role, externalId: true } },
    ],
    [
      "the chain, allowed",
      { defaultChain: true },
      { ok: true, value: { base: "chain", roleArn: null, externalId: false } },
    ],
    [
      "the chain, not allowed",
      { defaultChain: false },
      { ok: false, error: { kind: "invalid", code: "DefaultChainNotAllowed", step: "aws" } },
    ],
    [
      "a role from the chain, not allowed: the sts step",
      { roleArn: role },
      { ok: false, error: { kind: "invalid", code: "DefaultChainNotAllowed", step: "sts" } },
    ],
    [
      "a role from the allowed chain without the org's external ID: refused (confused deputy)",
      { roleArn: role, defaultChain: true },
      { ok: false, error: { kind: "invalid", code: "ExternalIdRequired", step: "sts" } },
    ],
    [
      "a role from the allowed chain with the org's external ID",
      { roleArn: role, defaultChain: true, externalId: "regcred-x" },
      { ok: true, value: { base: "chain", roleArn: role, externalId: true } },
    ],
    [
      "half the keys",
      { accessKeyId: "AKIA", defaultChain: true },
      { ok: false, error: { kind: "invalid", code: "NoCredentials" } },
    ],
    [
      "an external ID without a role is not sent",
      { ...keys, externalId: "regcred-x" },
      { ok: true, value: { base: "keys", roleArn: null, externalId: false } },
    ],
  ])("%s", (_name, identity, want) => expect(planSource(identity)).toMatchObject(want as object));
});

describe("roleSessionName", () => {
  it.each([
    ["org/registry", "regcred-org.registry"],
    ["org/unsaved/x", "regcred-org.unsaved.x"],
    [`org/${"r".repeat(80)}`, `regcred-org.${"r".repeat(52)}`],
  ])("%s → %s", (key, name) => {
    expect(roleSessionName(key)).toBe(name);
    expect(roleSessionName(key)).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});

describe("classifyStsError", () => {
  const aws = (name: string, status: number, message: string) =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
  it.each<[string, unknown, "invalid" | "unreachable", RegExp]>([
    [
      "refused",
      aws("AccessDenied", 403, "not authorized to perform: sts:AssumeRole"),
      "invalid",
      /^AccessDenied \(AWS: not authorized/,
    ],
    ["throttled", aws("Throttling", 400, "slow down"), "unreachable", /^Throttling: STS answered 400/],
    ["outage", aws("InternalFailure", 500, "x"), "unreachable", /STS answered 500/],
    [
      "connection refused",
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      "unreachable",
      /^cannot reach the STS endpoint sts\.example: connection refused$/,
    ],
  ])("%s", (_name, err, kind, message) => {
    const got = classifyStsError(err, [keys.secretAccessKey], "sts.example");
    expect(got.kind).toBe(kind);
    expect(got.message).toMatch(message);
  });

  it("removes secrets from AWS's message", () => {
    const got = classifyStsError(aws("AccessDenied", 403, `no ${keys.secretAccessKey}`), [keys.secretAccessKey], "e");
    expect(got.message).not.toContain(keys.secretAccessKey);
  });
});

import { describe, expect, it } from "vitest";
import { redactDeep, secretsOf } from "./redact";

describe("secretsOf", () => {
  it("covers the password and its Basic header form", () => {
    const s = secretsOf({ username: "alice", password: "hunter2-canary" });
    expect(s).toEqual(["hunter2-canary", Buffer.from("alice:hunter2-canary").toString("base64")]);
  });
  it("adds the private key of a service-account JSON", () => {
    const password = JSON.stringify({
      type: "service_account",
      private_key: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n",
    });
    expect(secretsOf({ username: "_json_key", password })).toContain(
      "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n",
    );
  });
  it.each([null, {}, { username: "u" }])("nothing to hide in %j", (creds) => expect(secretsOf(creds)).toEqual([]));
});

describe("redactDeep", () => {
  it.each([
    ["a string", "token=s3cr3t-value!", "token=[redacted]!"],
    [
      "nested",
      { a: ["x s3cr3t-value", { b: "s3cr3t-value" }], n: 3, z: null },
      { a: ["x [redacted]", { b: "[redacted]" }], n: 3, z: null },
    ],
    ["untouched", { ok: true, ms: 12 }, { ok: true, ms: 12 }],
  ])("%s", (_name, input, expected) => expect(redactDeep(input, ["s3cr3t-value"])).toEqual(expected));

  it("ignores secrets too short to redact safely", () => expect(redactDeep("abc", ["a"])).toBe("abc"));
});

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEcrAuthorization } from "@/lib/integrations/ecr";
import { type EcrIdentities, ensureMoto, freePort, type MotoPeer, setupEcrIdentities } from "@/test/peers";

// moto's ECR token expires at a fixed 2015-01-01T00:00:00Z: ask as if it were 12 hours earlier.
const motoNow = () => new Date("2014-12-31T12:00:00Z");
const key = () => `org/ecr-${randomBytes(6).toString("hex")}`;

let moto: MotoPeer;
let ids: EcrIdentities;

beforeAll(async () => {
  moto = await ensureMoto();
  ids = await setupEcrIdentities(moto.url);
}, 120_000);

afterAll(async () => {
  await moto?.stop();
});

const mint = (creds: { accessKeyId: string; secretAccessKey: string; region?: string | null }, endpoint = moto.url) =>
  getEcrAuthorization(key(), { region: "us-east-1", ...creds }, { endpoint, timeoutMs: 5_000, now: motoNow });

describe("[ecr] GetAuthorizationToken against moto answers with a value, never an exception", () => {
  it("valid keys: the token moto issued", async () => {
    const got = await mint(ids.ecrUser);
    expect(got).toMatchObject({ ok: true, value: { username: "AWS", password: ids.registryPassword, reused: false } });
  });

  it.each([
    [
      "a wrong secret key",
      () => ({ ...ids.ecrUser, secretAccessKey: `${ids.ecrUser.secretAccessKey.slice(0, -4)}XXXX` }),
      /^(SignatureDoesNotMatch|InvalidSignatureException): wrong secret access key/,
    ],
    [
      "an unknown access key",
      () => ({ accessKeyId: "AKIAREGCREDUNKNOWN00", secretAccessKey: "whatever-canary-secret" }),
      /^(InvalidClientTokenId|UnrecognizedClientException): unknown access key id/,
    ],
    [
      "keys without ecr:GetAuthorizationToken",
      () => ids.noPolicyUser,
      /^AccessDenied(Exception)?: the access key has no permission/,
    ],
    ["no region", () => ({ ...ids.ecrUser, region: null }), /^no AWS region/],
  ])("%s: invalid, with the reason and without the secret", async (_name, creds, message) => {
    const keys = creds();
    const got = await mint(keys);
    if (got.ok) throw new Error("expected a failure");
    expect(got.error.kind).toBe("invalid");
    expect(got.error.message).toMatch(message);
    expect(JSON.stringify(got.error)).not.toContain(keys.secretAccessKey);
  });

  it("an endpoint nobody listens on: unreachable", async () => {
    const port = await freePort();
    const got = await mint(ids.ecrUser, `http://127.0.0.1:${port}`);
    expect(got).toMatchObject({
      ok: false,
      error: {
        kind: "unreachable",
        message: `cannot reach the ECR endpoint http://127.0.0.1:${port}: connection refused`,
      },
    });
  });
});

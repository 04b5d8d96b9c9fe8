import { createPublicKey, generateKeyPairSync, type KeyObject, X509Certificate } from "node:crypto";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createKeyring } from "@/lib/crypto/secret-box";
import { authenticateCaller, type CallerSettings, clientCaProblem, generateWebhookToken } from "./caller-auth";
import { issueCertificate } from "@/lib/crypto/x509";

const now = new Date("2026-06-01T00:00:00Z");
const day = 86_400_000;
const key = () => generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;

function ca(
  name: string,
  from = now.getTime() - day,
  to = now.getTime() + 30 * day,
): { pem: string; key: KeyObject; name: string } {
  const k = key();
  return {
    pem: issueCertificate({
      commonName: name,
      publicKey: createPublicKey(k),
      signingKey: k,
      notBefore: new Date(from),
      notAfter: new Date(to),
      isCa: true,
    }),
    key: k,
    name,
  };
}

function leaf(issuer: { key: KeyObject; name: string }, to = now.getTime() + day): X509Certificate {
  const pem = issueCertificate({
    commonName: "kube-apiserver",
    publicKey: createPublicKey(key()),
    issuer: { commonName: issuer.name, publicKey: createPublicKey(issuer.key) },
    signingKey: issuer.key,
    notBefore: new Date(now.getTime() - day),
    notAfter: new Date(to),
    isCa: false,
  });
  return new X509Certificate(pem);
}

const keyring = createKeyring(randomBytes(32));
const clusterA = { clusterId: "11111111-1111-1111-1111-111111111111", orgId: "org" };
const caA = ca("ca-a");
const caB = ca("ca-b");
const { token, sealed } = generateWebhookToken(keyring, clusterA.orgId, clusterA.clusterId);
const settings = (s: Partial<CallerSettings>): CallerSettings => ({
  ...clusterA,
  webhookAuth: "none",
  webhookClientCa: null,
  webhookTokenSealed: null,
  ...s,
});
const none = { bearer: null, certificate: null };

describe("authenticateCaller", () => {
  it.each<
    [
      string,
      Partial<CallerSettings>,
      { bearer: string | null; certificate: X509Certificate | null },
      ReturnType<typeof authenticateCaller>,
    ]
  >([
    ["none: anyone, untrusted", {}, none, { ok: true, trust: "untrusted" }],
    [
      "token: the right token",
      { webhookAuth: "token", webhookTokenSealed: sealed },
      { bearer: token, certificate: null },
      { ok: true, trust: "trusted" },
    ],
    [
      "token: no token",
      { webhookAuth: "token", webhookTokenSealed: sealed },
      none,
      { ok: false, reason: "no bearer token was presented" },
    ],
    [
      "token: a wrong token",
      { webhookAuth: "token", webhookTokenSealed: sealed },
      { bearer: `${token}x`, certificate: null },
      { ok: false, reason: "the bearer token does not match" },
    ],
    [
      "token: none configured",
      { webhookAuth: "token" },
      { bearer: token, certificate: null },
      { ok: false, reason: "no webhook token is set for this cluster" },
    ],
    [
      "token: sealed for another cluster",
      { webhookAuth: "token", webhookTokenSealed: sealed, clusterId: "22222222-2222-2222-2222-222222222222" },
      { bearer: token, certificate: null },
      { ok: false, reason: "the bearer token does not match" },
    ],
    [
      "token: a certificate does not count",
      { webhookAuth: "token", webhookTokenSealed: sealed },
      { bearer: null, certificate: leaf(caA) },
      { ok: false, reason: "no bearer token was presented" },
    ],
    [
      "mtls: signed by the CA",
      { webhookAuth: "mtls", webhookClientCa: caA.pem },
      { bearer: null, certificate: leaf(caA) },
      { ok: true, trust: "trusted" },
    ],
    [
      "mtls: signed by one CA of a bundle",
      { webhookAuth: "mtls", webhookClientCa: `${caB.pem}\n${caA.pem}` },
      { bearer: null, certificate: leaf(caA) },
      { ok: true, trust: "trusted" },
    ],
    [
      "mtls: another CA",
      { webhookAuth: "mtls", webhookClientCa: caA.pem },
      { bearer: null, certificate: leaf(caB) },
      { ok: false, reason: "the client certificate is not signed by the cluster's client CA" },
    ],
    [
      "mtls: expired leaf",
      { webhookAuth: "mtls", webhookClientCa: caA.pem },
      { bearer: null, certificate: leaf(caA, now.getTime() - 1000) },
      { ok: false, reason: "the client certificate is not signed by the cluster's client CA" },
    ],
    [
      "mtls: no certificate",
      { webhookAuth: "mtls", webhookClientCa: caA.pem },
      { bearer: token, certificate: null },
      { ok: false, reason: "no client certificate was presented" },
    ],
    [
      "mtls: no CA configured",
      { webhookAuth: "mtls" },
      { bearer: null, certificate: leaf(caA) },
      { ok: false, reason: "no client CA is set for this cluster" },
    ],
  ])("%s", (_name, s, creds, expected) => {
    expect(authenticateCaller(keyring, settings(s), creds, now)).toEqual(expected);
  });

  it("a self-signed leaf presenting the CA's name is refused", () => {
    const forged = ca("ca-a");
    expect(
      authenticateCaller(
        keyring,
        settings({ webhookAuth: "mtls", webhookClientCa: caA.pem }),
        { bearer: null, certificate: leaf(forged) },
        now,
      ),
    ).toMatchObject({ ok: false });
  });
});

describe("clientCaProblem", () => {
  it.each([
    ["a CA", caA.pem, null],
    ["not PEM", "hello", "must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)"],
    [
      "garbage in a PEM block",
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
      "must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)",
    ],
    ["a leaf, not a CA", leaf(caA).toString(), "must contain a CA certificate (basicConstraints CA:TRUE)"],
    ["an expired CA", ca("old", now.getTime() - 10 * day, now.getTime() - day).pem, "has no CA certificate valid now"],
  ])("%s", (_name, pem, expected) => {
    expect(clientCaProblem(pem, now)).toBe(expected);
  });
});

describe("generateWebhookToken", () => {
  it("makes 256-bit tokens, different every time, sealed (the sealed form does not contain the token)", () => {
    const a = generateWebhookToken(keyring, "org", clusterA.clusterId);
    const b = generateWebhookToken(keyring, "org", clusterA.clusterId);
    expect(a.token).toMatch(/^rcwh_[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.sealed).not.toContain(a.token.slice(5));
  });
});

import { type Stopper, startPeersOnce } from "../helpers/peer-setup";
import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { checkRegistryCredentials } from "@/lib/credential-checks/check";
import type { CheckInput, CheckResult } from "@/lib/credential-checks/types";
import {
  createTestPki,
  type EcrIdentities,
  type EcrTokenProxy,
  ensureMoto,
  freePort,
  type MotoPeer,
  type RegistryPeer,
  setupEcrIdentities,
  startEcrTokenProxy,
  startRegistry,
  startTokenServer,
  type TestPki,
  type TokenServer,
} from "@/test/peers";

// Canaries: none of these may ever appear in a result.
const alicePassword = `canary-alice-${randomBytes(12).toString("hex")}`;
const bobPassword = `canary-bob-${randomBytes(12).toString("hex")}`;
const service = "regcred-test-registry";
const issuer = "regcred-test-issuer";

let pki: TestPki;
let moto: MotoPeer;
let ids: EcrIdentities;
let tokens: TokenServer;
// In front of moto: a new token and expiry on every GetAuthorizationToken, which `basic` then accepts for AWS.
let ecrProxy: EcrTokenProxy;
let basic: RegistryPeer;
let tokenAuth: RegistryPeer;
let wrongHost: RegistryPeer;
const secrets: string[] = [alicePassword, bobPassword];

const stoppers: Stopper[] = [];

async function startPeers(): Promise<void> {
  pki = await createTestPki();
  stoppers.push(pki.remove);
  moto = await ensureMoto();
  stoppers.push(moto.stop);
  ids = await setupEcrIdentities(moto.url);
  secrets.push(ids.ecrUser.secretAccessKey, ids.noPolicyUser.secretAccessKey, ids.registryPassword);
  tokens = await startTokenServer({
    users: { bob: bobPassword },
    signer: pki.tokenSigner,
    issuer,
    service,
    allowAnonymous: true,
    tls: pki.server,
  });
  stoppers.push(tokens.stop);
  ecrProxy = await startEcrTokenProxy({
    target: moto.url,
    onToken: async (t) => {
      secrets.push(t.password);
      await basic.setUsers({ alice: alicePassword, AWS: t.password });
    },
  });
  stoppers.push(ecrProxy.close);
  const started = await Promise.allSettled([
    startRegistry({
      name: "htpasswd",
      tls: pki.server,
      // moto's own token (always the same) does not log in: only one the proxy handed out does.
      auth: { htpasswd: { alice: alicePassword, AWS: "no-token-yet" } },
    }),
    startRegistry({
      name: "token",
      tls: pki.server,
      auth: { token: { realm: tokens.realm, service, issuer, rootCertBundlePath: pki.ca.certPath } },
    }),
    startRegistry({ name: "wrong-host", tls: pki.wrongHost, auth: { htpasswd: { alice: alicePassword } } }),
  ]);
  for (const s of started) if (s.status === "fulfilled") stoppers.push(s.value.stop);
  const failed = started.find((s) => s.status === "rejected");
  if (failed) throw failed.reason;
  [basic, tokenAuth, wrongHost] = started.map((s) => (s as PromiseFulfilledResult<RegistryPeer>).value) as [
    RegistryPeer,
    RegistryPeer,
    RegistryPeer,
  ];
}

startPeersOnce(stoppers, startPeers, 180_000);

const opts = { timeoutMs: 10_000 };
let n = 0;
const key = () => `org-cc/reg-${process.pid}-${++n}`;

async function check(
  input: Omit<CheckInput, "cacheKey"> & { cacheKey?: string },
  extra: Partial<typeof opts & { ecrEndpoint: string; now: () => Date }> = {},
): Promise<CheckResult> {
  const result = await checkRegistryCredentials({ cacheKey: key(), ...input }, { ...opts, ...extra });
  const json = JSON.stringify(result);
  for (const s of secrets) expect(json, "a secret leaked into the result").not.toContain(s);
  expect(Date.parse(result.checkedAt)).not.toBeNaN();
  return result;
}

const stepNames = (r: CheckResult) => r.steps.map((s) => `${s.step}:${s.ok ? "ok" : "fail"}`);

describe("basic (htpasswd registry)", () => {
  it("right password → valid", async () => {
    const r = await check({
      type: "basic",
      registry: basic.host,
      creds: { username: "alice", password: alicePassword },
      caCert: pki.ca.cert,
    });
    expect(r).toMatchObject({
      status: "valid",
      failedStep: null,
      proven: `Basic login as alice to ${basic.host}`,
      expiresAt: null,
    });
    expect(r.summary).toBe(`Basic credentials for alice accepted by https://${basic.host}/v2/`);
    expect(stepNames(r)).toEqual(["dns:ok", "connect:ok", "tls:ok", "http:ok", "challenge:ok", "auth:ok"]);
    expect(r.steps.find((s) => s.step === "tls")?.detail).toContain("Regcred Test CA");
  });

  it("wrong password → invalid at auth", async () => {
    const r = await check({
      type: "basic",
      registry: `${basic.host}/team/app`,
      creds: { username: "alice", password: `${alicePassword}-wrong` },
      caCert: pki.ca.cert,
    });
    expect(r).toMatchObject({ status: "invalid", failedStep: "auth", proven: null });
    expect(r.summary).toBe(`https://${basic.host}/v2/ rejected the credentials for alice (401)`);
  });

  it("public type against a registry that needs credentials → invalid", async () => {
    const r = await check({ type: "public", registry: basic.host, creds: null, caCert: pki.ca.cert });
    expect(r).toMatchObject({ status: "invalid", failedStep: "auth" });
    expect(r.summary).toContain("requires credentials");
  });
});

describe("token auth (Bearer flow)", () => {
  it("right password → valid, end to end", async () => {
    const before = tokens.issued();
    const r = await check({
      type: "azure_acr",
      registry: tokenAuth.host,
      creds: { username: "bob", password: bobPassword },
      caCert: pki.ca.cert,
    });
    expect(r.status).toBe("valid");
    expect(r.summary).toBe(`Bearer token from ${tokens.realm} accepted by /v2/`);
    expect(r.proven).toBe(`token for bob from ${tokens.realm} accepted by ${tokenAuth.host}/v2/`);
    expect(stepNames(r)).toEqual(["dns:ok", "connect:ok", "tls:ok", "http:ok", "challenge:ok", "token:ok", "auth:ok"]);
    expect(r.steps.find((s) => s.step === "challenge")?.detail).toBe(
      `Bearer realm="${tokens.realm}" service="${service}"`,
    );
    expect(tokens.issued()).toBe(before + 1);
  });

  it("wrong password → invalid at the token endpoint", async () => {
    const r = await check({
      type: "basic",
      registry: tokenAuth.host,
      creds: { username: "bob", password: "not-bobs-password" },
      caCert: pki.ca.cert,
    });
    expect(r).toMatchObject({ status: "invalid", failedStep: "token" });
    expect(r.summary).toBe(`token endpoint ${tokens.realm} rejected the credentials for bob (401)`);
  });

  it("public → anonymous token flow, like Docker Hub", async () => {
    const r = await check({ type: "public", registry: tokenAuth.host, creds: null, caCert: pki.ca.cert });
    expect(r).toMatchObject({
      status: "valid",
      proven: `anonymous token from ${tokens.realm} accepted by ${tokenAuth.host}/v2/`,
    });
  });

  it("google_gcr sends _json_key with the JSON key as password", async () => {
    const json = JSON.stringify({
      type: "service_account",
      private_key: "-----BEGIN PRIVATE KEY-----\ncanary-gcr-key\n-----END PRIVATE KEY-----\n",
    });
    secrets.push(json, "canary-gcr-key");
    const r = await check({
      type: "google_gcr",
      registry: tokenAuth.host,
      creds: { password: json },
      caCert: pki.ca.cert,
    });
    expect(r).toMatchObject({ status: "invalid", failedStep: "token" });
    expect(r.summary).toContain("credentials for _json_key");
  });
});

describe("amazon_ecr (moto + the real registry)", () => {
  const ecr = (creds: { username: string; password: string }, cacheKey = key()) =>
    check(
      { type: "amazon_ecr", registry: basic.host, region: "us-east-1", creds, caCert: pki.ca.cert, cacheKey },
      { ecrEndpoint: ecrProxy.url },
    );

  it("right keys → the minted token logs in to the registry", async () => {
    const r = await ecr({ username: ids.ecrUser.accessKeyId, password: ids.ecrUser.secretAccessKey });
    const minted = ecrProxy.handedOut().at(-1)!;
    expect(r).toMatchObject({ status: "valid", failedStep: null, expiresAt: minted.expiresAt.toISOString() });
    expect(r.proven).toBe(`ECR token from GetAuthorizationToken in us-east-1 logged in to ${basic.host} as AWS`);
    expect(r.summary).toBe(`ECR token from GetAuthorizationToken (us-east-1) accepted by https://${basic.host}/v2/`);
    expect(stepNames(r)).toEqual(["aws:ok", "dns:ok", "connect:ok", "tls:ok", "http:ok", "challenge:ok", "auth:ok"]);
  });

  it("wrong secret → invalid with the reason", async () => {
    const r = await ecr({
      username: ids.ecrUser.accessKeyId,
      password: `${ids.ecrUser.secretAccessKey.slice(0, -4)}XXXX`,
    });
    expect(r).toMatchObject({ status: "invalid", failedStep: "aws", proven: null, expiresAt: null });
    expect(r.summary).toMatch(
      /^aws: GetAuthorizationToken in us-east-1 failed: (SignatureDoesNotMatch|InvalidSignatureException): wrong secret access key/,
    );
  });

  it("unknown access key → invalid with the reason", async () => {
    const r = await ecr({ username: "AKIAREGCREDUNKNOWN00", password: "whatever-canary-secret" });
    expect(r).toMatchObject({ status: "invalid", failedStep: "aws" });
    expect(r.summary).toMatch(/(InvalidClientTokenId|UnrecognizedClientException): unknown access key id/);
  });

  it("a user without permission → invalid with AccessDenied…", async () => {
    const r = await ecr({ username: ids.noPolicyUser.accessKeyId, password: ids.noPolicyUser.secretAccessKey });
    expect(r).toMatchObject({ status: "invalid", failedStep: "aws" });
    expect(r.summary).toMatch(
      /failed: AccessDenied(Exception)?: the access key has no permission.*ecr:GetAuthorizationToken/,
    );
  });

  it("ECR endpoint down → unreachable", async () => {
    const port = await freePort();
    const r = await check(
      {
        type: "amazon_ecr",
        registry: basic.host,
        region: "us-east-1",
        creds: { username: ids.ecrUser.accessKeyId, password: ids.ecrUser.secretAccessKey },
      },
      { ecrEndpoint: `http://127.0.0.1:${port}` },
    );
    expect(r).toMatchObject({ status: "unreachable", failedStep: "aws" });
    expect(r.summary).toContain("connection refused");
  });

  it("token cache: two checks of one registry mint once; concurrent checks share one mint (counted at the proxy)", async () => {
    const good = { username: ids.ecrUser.accessKeyId, password: ids.ecrUser.secretAccessKey };
    const sameRegistry = key();
    const before = ecrProxy.mints();
    const first = await ecr(good, sameRegistry);
    const second = await ecr(good, sameRegistry);
    expect(ecrProxy.mints() - before).toBe(1);
    expect([first.status, second.status]).toEqual(["valid", "valid"]);
    expect(second.steps[0]?.detail).toContain("reused from the cache");

    const other = key();
    const mid = ecrProxy.mints();
    const all = await Promise.all([1, 2, 3].map(() => ecr(good, other)));
    expect(all.map((r) => r.status)).toEqual(["valid", "valid", "valid"]);
    expect(ecrProxy.mints() - mid).toBe(1);
  });
});

describe("network and TLS failures", () => {
  it("closed port → unreachable at connect", async () => {
    const port = await freePort();
    const r = await check({
      type: "basic",
      registry: `127.0.0.1:${port}`,
      creds: { username: "alice", password: alicePassword },
    });
    expect(r).toMatchObject({
      status: "unreachable",
      failedStep: "connect",
      summary: `connect: connection refused to 127.0.0.1:${port}`,
    });
    expect(stepNames(r)).toEqual(["dns:ok", "connect:fail"]);
  });

  it("certificate from a CA that was not given → unreachable at tls", async () => {
    const r = await check({
      type: "basic",
      registry: basic.host,
      creds: { username: "alice", password: alicePassword },
      caCert: null,
    });
    expect(r).toMatchObject({ status: "unreachable", failedStep: "tls" });
    expect(r.summary).toMatch(/^tls: certificate signed by an unknown authority/);
  });

  it("hostname mismatch → unreachable at tls", async () => {
    const r = await check({
      type: "basic",
      registry: wrongHost.host,
      creds: { username: "alice", password: alicePassword },
      caCert: pki.ca.cert,
    });
    expect(r).toMatchObject({
      status: "unreachable",
      failedStep: "tls",
      summary: "tls: certificate is valid for wrong-host.regcred.test, not 127.0.0.1",
    });
  });

  it("unknown host → unreachable at dns", async () => {
    const r = await check({
      type: "basic",
      registry: "nonexistent.invalid",
      creds: { username: "alice", password: alicePassword },
    });
    expect(r).toMatchObject({ status: "unreachable", failedStep: "dns" });
    expect(r.summary).toMatch(/^dns: (no such host|temporary failure resolving) nonexistent\.invalid$/);
  });

  it("a server that accepts TCP but never speaks → unreachable at tls after the step timeout", async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => void sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const r = await check(
        { type: "basic", registry: `127.0.0.1:${port}`, creds: { username: "alice", password: alicePassword } },
        { timeoutMs: 300 },
      );
      expect(r).toMatchObject({
        status: "unreachable",
        failedStep: "tls",
        summary: "tls: TLS handshake timed out after 300 ms",
      });
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it("a plain-HTTP server → unreachable at tls, saying so", async () => {
    const plain = http.createServer((_req, res) => res.end("{}"));
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const { port } = plain.address() as net.AddressInfo;
    try {
      const r = await check({ type: "public", registry: `127.0.0.1:${port}`, creds: null });
      expect(r).toMatchObject({
        status: "unreachable",
        failedStep: "tls",
        summary: "tls: 127.0.0.1 did not answer with TLS (a plain-HTTP registry?)",
      });
    } finally {
      plain.closeAllConnections();
      plain.close();
    }
  });

  it("a CA that is not a certificate → unreachable at tls with a clear reason", async () => {
    const r = await check({
      type: "basic",
      registry: basic.host,
      creds: { username: "alice", password: alicePassword },
      caCert: "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n",
    });
    expect(r).toMatchObject({
      status: "unreachable",
      failedStep: "tls",
      summary: "tls: the configured CA certificate could not be loaded (is it a PEM certificate?)",
    });
  });
});

describe("secret_ref", () => {
  it("is left to the per-cluster check (test/integration/secret-ref-check.test.ts)", async () => {
    const r = await check({ type: "secret_ref", registry: basic.host, creds: null });
    expect(r.status).toBe("unsupported");
    expect(r.summary).toMatch(/checked per cluster/);
  });
});

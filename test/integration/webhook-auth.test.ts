import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { updateCluster } from "@/lib/clusters/service";
import { reconcileCluster } from "@/lib/controller/reconcile";
import { ensureInstallation } from "@/lib/installation/repo";
import { forgeReview } from "../helpers/admission";
import {
  registerWebhook,
  type ReviewEvent,
  startWebhookServer,
  unregisterWebhook,
  type WebhookServer,
} from "@/lib/webhook";
import { parseWebhookSettings } from "@/lib/webhook/settings";
import { clientForCluster } from "@/lib/clusters/client";
import { createRegistry } from "@/lib/registries/service";
import { createTestPki, freePort, type TestPki } from "@/test/peers";
import { startOwnKube } from "../helpers/kube";
import {
  createDeployment,
  decode,
  eventually,
  type Fixture,
  openFixture,
  readSecret,
  testScope,
  type TestScope,
} from "./controller-fixture";

// One API server of this file's own, started with an AdmissionConfiguration whose kubeconfig gives the webhook
// at 127.0.0.1:<tokenPort> a bearer token and the one at 127.0.0.1:<mtlsPort> a client certificate.
const REGISTRY = "registry.auth.test";
const SECRET = "regcred-auth-private";
const canary = `canary-${randomBytes(12).toString("hex")}`;

let own: ReturnType<typeof startOwnKube> | null = null;
let f: Fixture;
let pki: TestPki;
let otherPki: TestPki;
let tok: TestScope;
let mtls: TestScope;
let token = "";
let tokenServer: WebhookServer;
let mtlsServer: WebhookServer;
let dataDir: string;
const reviews: ReviewEvent[] = [];
const logs: string[] = [];

function admissionFiles(
  dir: string,
  ports: { token: number; mtls: number },
  creds: { token: string; cert: string; key: string },
): string {
  const b64 = (t: string) => Buffer.from(t).toString("base64");
  const kubeconfig = {
    apiVersion: "v1",
    kind: "Config",
    users: [
      { name: `127.0.0.1:${ports.token}`, user: { token: creds.token } },
      {
        name: `127.0.0.1:${ports.mtls}`,
        user: { "client-certificate-data": b64(creds.cert), "client-key-data": b64(creds.key) },
      },
    ],
  };
  fs.writeFileSync(path.join(dir, "webhook.kubeconfig"), JSON.stringify(kubeconfig));
  const admission = {
    apiVersion: "apiserver.config.k8s.io/v1",
    kind: "AdmissionConfiguration",
    plugins: [
      {
        name: "MutatingAdmissionWebhook",
        configuration: {
          apiVersion: "apiserver.config.k8s.io/v1",
          kind: "WebhookAdmissionConfiguration",
          kubeConfigFile: path.join(dir, "webhook.kubeconfig"),
        },
      },
    ],
  };
  const file = path.join(dir, "admission.json");
  fs.writeFileSync(file, JSON.stringify(admission));
  return file;
}

const podBody = (image: string): V1Pod => ({
  metadata: { generateName: "p-" },
  spec: { containers: [{ name: "app", image }] },
});
const pullSecrets = (pod: V1Pod) => pod.spec?.imagePullSecrets?.map((r) => r.name);

async function waitForCalls(scope: TestScope): Promise<void> {
  const probe = await scope.namespace("probe");
  await eventually(
    async () => {
      await f.core.createNamespacedPod({ namespace: probe, body: podBody("busybox"), dryRun: "All" });
      return reviews.some((r) => r.namespace === probe);
    },
    "the API server to call the webhook",
    40_000,
  );
}

function captureLogs(): void {
  process.env.LOG_LEVEL = "debug";
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logs.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return (write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
}

beforeAll(async () => {
  captureLogs();
  [pki, otherPki] = await Promise.all([createTestPki(), createTestPki()]);
  const ports = { token: await freePort(), mtls: await freePort() };
  const dir = fs.mkdtempSync(path.join(pki.dir, "admission-"));
  const admission = admissionFiles(dir, ports, { token: "placeholder", cert: pki.client.cert, key: pki.client.key });
  own = startOwnKube({ KUBE_ADMISSION_CONFIG_FILE: admission });
  f = await openFixture({ env: own.env, stop: () => {} });
  dataDir = fs.mkdtempSync(path.join(pki.dir, "data-"));

  tok = await testScope(f, "tok");
  mtls = await testScope(f, "mtls");
  // Switching to webhook wiring without choosing gives token mode and the token, once.
  token = (await updateCluster(tok.ctx, tok.cluster.id, { wiring: "webhook" })).webhook_token!;
  expect(token).toMatch(/^rcwh_/);
  await updateCluster(mtls.ctx, mtls.cluster.id, {
    wiring: "webhook",
    webhook_auth: "mtls",
    webhook_client_ca: pki.ca.cert,
  });
  for (const s of [tok, mtls])
    await createRegistry(s.ctx, {
      id: "auth-private",
      registry: REGISTRY,
      type: "basic",
      creds: { username: "puller", password: canary },
    });

  // The API server reads its webhook kubeconfig at start: give it the token Regcred generated, then restart it.
  admissionFiles(dir, ports, { token, cert: pki.client.cert, key: pki.client.key });
  own.restart();

  const start = (port: number) =>
    startWebhookServer({
      db: f.db,
      keyring: f.keyring,
      dataDir,
      settings: parseWebhookSettings({ REGCRED_WEBHOOK_PORT: String(port) }),
      onReview: (e) => reviews.push(e),
    });
  tokenServer = await start(ports.token);
  mtlsServer = await start(ports.mtls);
  expect(
    await registerWebhook(f.keyring, tok.cluster, tokenServer.endpoint, await ensureInstallation(f.db)),
  ).toMatchObject({ ok: true });
  expect(
    await registerWebhook(f.keyring, mtls.cluster, mtlsServer.endpoint, await ensureInstallation(f.db)),
  ).toMatchObject({ ok: true });
  await waitForCalls(tok);
  await waitForCalls(mtls);
}, 240_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await tokenServer?.close();
  await mtlsServer?.close();
  for (const s of [tok, mtls]) if (s) await unregisterWebhook(f.keyring, s.cluster);
  await f?.database.close();
  own?.stop();
  await pki?.remove();
  await otherPki?.remove();
});

describe("webhook caller authentication against a real kube-apiserver with an AdmissionConfiguration", () => {
  it("[token] the API server presents the cluster's token: a Pod created directly gets imagePullSecrets and its secret exists first", async () => {
    const ns = await tok.namespace("direct");
    const created = await f.core.createNamespacedPod({ namespace: ns, body: podBody(`${REGISTRY}/team/app:1`) });
    expect(pullSecrets(created)).toEqual([SECRET]);
    const secret = await readSecret(f, ns, SECRET);
    expect(JSON.parse(decode(secret?.data?.[".dockerconfigjson"])).auths[REGISTRY]).toMatchObject({
      username: "puller",
      password: canary,
    });
    expect(reviews.filter((r) => r.namespace === ns)).toMatchObject([{ outcome: "ensured", patched: true }]);
  });

  it("[token] a review without the token or with a wrong one is refused with 401 and writes nothing", async () => {
    const ns = await tok.namespace("forged");
    for (const as of [{}, { bearer: "rcwh_wrong" }, { bearer: `${token}x` }, { cert: pki.client }]) {
      const answer = await forgeReview(tokenServer, tok.cluster.id, ns, `${REGISTRY}/team/app:1`, as);
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body)).toEqual({
        error: "UNAUTHENTICATED",
        message: "the caller is not authenticated as this cluster's API server",
      });
    }
    expect(await readSecret(f, ns, SECRET)).toBeNull();
    expect(reviews.some((r) => r.namespace === ns)).toBe(false);
  });

  it("[mtls] the API server's client certificate verifies against the cluster's CA: the Pod is patched and its secret written", async () => {
    const ns = await mtls.namespace("direct");
    const created = await f.core.createNamespacedPod({ namespace: ns, body: podBody(`${REGISTRY}/team/app:1`) });
    expect(pullSecrets(created)).toEqual([SECRET]);
    expect(await readSecret(f, ns, SECRET)).not.toBeNull();
    expect(reviews.filter((r) => r.namespace === ns)).toMatchObject([{ outcome: "ensured", patched: true }]);
  });

  it("[mtls] no certificate, a certificate of another CA, a token, or cluster A's certificate for cluster B: refused, nothing written", async () => {
    const ns = await mtls.namespace("forged");
    for (const as of [{}, { cert: otherPki.client }, { bearer: token }]) {
      expect((await forgeReview(mtlsServer, mtls.cluster.id, ns, `${REGISTRY}/team/app:1`, as)).status).toBe(401);
    }
    expect(await readSecret(f, ns, SECRET)).toBeNull();
    // A certificate only counts for the cluster whose CA signed it: the token cluster ignores it.
    const tokNs = await tok.namespace("crossed");
    expect(
      (await forgeReview(mtlsServer, tok.cluster.id, tokNs, `${REGISTRY}/team/app:1`, { cert: pki.client })).status,
    ).toBe(401);
    expect(await readSecret(f, tokNs, SECRET)).toBeNull();
  });

  it("[scope] an authenticated review writes nothing in a namespace outside the cluster's scope or one that does not exist", async () => {
    const outside = await f.core.createNamespace({
      body: { metadata: { name: `outside-${randomBytes(4).toString("hex")}` } },
    });
    const name = outside.metadata!.name!;
    try {
      const answer = await forgeReview(tokenServer, tok.cluster.id, name, `${REGISTRY}/team/app:1`, { bearer: token });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).response).toEqual({ uid: expect.any(String), allowed: true });
      expect(await readSecret(f, name, SECRET)).toBeNull();
      const missing = `${tok.label}-nowhere`;
      await forgeReview(tokenServer, tok.cluster.id, missing, `${REGISTRY}/team/app:1`, { bearer: token });
      expect(reviews.filter((r) => r.namespace === missing)).toMatchObject([{ outcome: "no-namespace" }]);
      expect(reviews.filter((r) => r.namespace === name)).toMatchObject([{ outcome: "out-of-scope", patched: false }]);
    } finally {
      await f.core.deleteNamespace({ name });
    }
  });

  it("[rate] beyond the per-cluster rate a review is answered allowed, without a patch and with a warning, and writes nothing", async () => {
    const limitedReviews: ReviewEvent[] = [];
    const limited = await startWebhookServer({
      db: f.db,
      keyring: f.keyring,
      dataDir,
      settings: parseWebhookSettings({ REGCRED_WEBHOOK_PORT: "0" }),
      ratePerSecond: 1,
      onReview: (e) => limitedReviews.push(e),
    });
    try {
      const ns = await tok.namespace("rate");
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          forgeReview(limited, tok.cluster.id, ns, `${REGISTRY}/team/app:1`, { bearer: token }),
        ),
      );
      const limitedAnswers = answers
        .map((a) => JSON.parse(a.body).response)
        .filter((r) => r.warnings?.some((w: string) => w.includes("rate limited")));
      expect(limitedAnswers.length).toBeGreaterThanOrEqual(1);
      for (const r of limitedAnswers)
        expect(r).toEqual({
          uid: expect.any(String),
          allowed: true,
          warnings: [expect.stringContaining("rate limited")],
        });
      expect(limitedReviews.filter((r) => r.outcome === "rate-limited").every((r) => !r.patched)).toBe(true);
      expect(limitedReviews.filter((r) => r.outcome === "rate-limited").length).toBe(limitedAnswers.length);
    } finally {
      await limited.close();
    }
  });

  it("[canary] the controller and the webhook (accepted, refused and forged reviews) never log a registry password, a secret_ref source's password or the webhook token", async () => {
    const src = await tok.namespace("src");
    await updateCluster(tok.ctx, tok.cluster.id, { secret_ref_namespaces: [src] });
    const auth = (pw: string) => ({
      auths: { "copied.auth.test": { username: "u", password: pw, auth: Buffer.from(`u:${pw}`).toString("base64") } },
    });
    await f.core.createNamespacedSecret({
      namespace: src,
      body: {
        metadata: { name: "pull" },
        type: "kubernetes.io/dockerconfigjson",
        stringData: { ".dockerconfigjson": JSON.stringify(auth(canary)) },
      },
    });
    await f.core.createNamespacedSecret({
      namespace: "kube-system",
      body: {
        metadata: { name: `opaque-${tok.label}`.slice(0, 60) },
        type: "Opaque",
        stringData: { password: canary },
      },
    });
    await createRegistry(tok.ctx, {
      id: "copied",
      registry: "copied.auth.test",
      type: "secret_ref",
      secrets: { "*": { namespace: src, secret: "pull" } },
    });
    await createRegistry(tok.ctx, {
      id: "stolen",
      registry: "stolen.auth.test",
      type: "secret_ref",
      secrets: { "*": { namespace: "kube-system", secret: `opaque-${tok.label}`.slice(0, 60) } },
    });
    const app = await tok.namespace("app");
    for (const host of [REGISTRY, "copied.auth.test", "stolen.auth.test"])
      await createDeployment(f, app, host.split(".")[0]!, `${host}/team/app:1`);

    const client = clientForCluster(f.keyring, tok.cluster, { timeoutMs: 10_000 });
    const cluster = { ...tok.cluster, secretRefNamespaces: [src] };
    const pass = await reconcileCluster(
      {
        db: f.db,
        keyring: f.keyring,
        client,
        now: () => new Date(),
        gracePeriodMs: 60_000,
        timeoutMs: 10_000,
        instanceId: "canary",
      },
      cluster,
      { trigger: "manual" },
    );
    expect(await readSecret(f, app, "regcred-copied")).not.toBeNull();
    expect(await readSecret(f, app, "regcred-stolen")).toBeNull();

    const hooked = await tok.namespace("hooked");
    await f.core.createNamespacedPod({ namespace: hooked, body: podBody("copied.auth.test/team/app:1") });
    await f.core.createNamespacedPod({ namespace: hooked, body: podBody("stolen.auth.test/team/app:1") });
    await forgeReview(tokenServer, tok.cluster.id, hooked, `${REGISTRY}/x:1`, { bearer: canary });
    await forgeReview(tokenServer, tok.cluster.id, hooked, `${REGISTRY}/x:1`, { bearer: `${token}-wrong` });
    await forgeReview(mtlsServer, mtls.cluster.id, hooked, `${REGISTRY}/x:1`, { cert: otherPki.client });
    await forgeReview(tokenServer, "00000000-0000-0000-0000-000000000000", hooked, `${REGISTRY}/x:1`, {
      bearer: token,
    });
    expect(await readSecret(f, hooked, "regcred-copied")).not.toBeNull();

    expect(pass.status).toBe("partial");
    const text = [...logs, JSON.stringify(reviews)].join("\n");
    expect(logs.some((l) => l.includes("webhook: review refused"))).toBe(true);
    for (const leak of [
      canary,
      Buffer.from(`u:${canary}`).toString("base64"),
      Buffer.from(`puller:${canary}`).toString("base64"),
      token,
    ])
      expect(text).not.toContain(leak);
    await f.core.deleteNamespacedSecret({ namespace: "kube-system", name: `opaque-${tok.label}`.slice(0, 60) });
  });
});

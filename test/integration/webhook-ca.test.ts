import { execFileSync } from "node:child_process";
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { AdmissionregistrationV1Api, KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureInstallation } from "@/lib/installation/repo";
import { ensureClusterSync, updateClusterSync } from "@/lib/sync/repo";
import {
  registerWebhook,
  type ReviewEvent,
  startWebhookServer,
  unregisterWebhook,
  webhookConfigurationName,
  type WebhookServer,
} from "@/lib/webhook";
import { parseWebhookSettings } from "@/lib/webhook/settings";
import { eventually, type Fixture, openFixture, testScope, type TestScope } from "./controller-fixture";

// Two replicas (two webhook servers with data dirs of their own) given one REGCRED_WEBHOOK_CA_DIR, made the way the
// chart makes it (Sprig's genPrivateKey "ecdsa" + genCAWithKey: SEC1 key, CN-only subject, no authorityKeyIdentifier).
let f: Fixture;
let s: TestScope;
let admission: AdmissionregistrationV1Api;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-webhook-ca-"));
const caDir = path.join(root, "ca");
const servers: WebhookServer[] = [];
const reviews: Array<ReviewEvent & { replica: string }> = [];

function makeCa(): void {
  fs.mkdirSync(caDir);
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  fs.writeFileSync(path.join(caDir, "tls.key"), privateKey.export({ type: "sec1", format: "pem" }), { mode: 0o600 });
  execFileSync("openssl", [
    "req",
    "-x509",
    "-new",
    "-key",
    path.join(caDir, "tls.key"),
    "-subj",
    "/CN=regcred-webhook-ca",
    "-days",
    "3650",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
    "-addext",
    "authorityKeyIdentifier=none",
    "-out",
    path.join(caDir, "tls.crt"),
  ]);
}

async function replica(name: string): Promise<WebhookServer> {
  const server = await startWebhookServer({
    db: f.db,
    keyring: f.keyring,
    dataDir: path.join(root, name),
    caDir,
    settings: parseWebhookSettings({ REGCRED_WEBHOOK_PORT: "0" }),
    onReview: (e) => reviews.push({ ...e, replica: name }),
  });
  servers.push(server);
  return server;
}

/** GET /healthz trusting only `ca`: resolves with the serving certificate when the chain verifies. */
function fetchTrusting(server: WebhookServer, ca: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: "127.0.0.1", port: server.port, path: "/healthz", ca }, (res) => {
      res.resume();
      const cert = (res.socket as import("node:tls").TLSSocket).getPeerX509Certificate();
      res.on("end", () => (cert ? resolve(cert) : reject(new Error("no certificate"))));
    });
    req.on("error", reject);
  });
}

beforeAll(async () => {
  makeCa();
  f = await openFixture();
  const kc = new KubeConfig();
  kc.loadFromFile(f.kube.KUBECONFIG_ADMIN);
  admission = kc.makeApiClient(AdmissionregistrationV1Api);
  s = await testScope(f, "whca");
  await ensureClusterSync(f.db, s.cluster);
  await updateClusterSync(f.db, s.cluster.id, { wiring: "webhook" });
});

afterAll(async () => {
  await Promise.all(servers.map((srv) => srv.close()));
  if (s) await unregisterWebhook(f.keyring, s.cluster);
  await f?.database.close();
  f?.stopKube();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("shared webhook CA (REGCRED_WEBHOOK_CA_DIR)", () => {
  it("[webhook] two replicas with their own data dirs serve certificates of the one CA, register the same caBundle, and the API server calls either", async () => {
    const caPem = fs.readFileSync(path.join(caDir, "tls.crt"), "utf8");
    const a = await replica("replica-a");
    const b = await replica("replica-b");
    expect(a.endpoint.caPem).toBe(caPem);
    expect(b.endpoint.caPem).toBe(caPem);

    // A TLS client that trusts only the shared CA accepts both replicas; their serving keys differ.
    const certA = await fetchTrusting(a, caPem);
    const certB = await fetchTrusting(b, caPem);
    expect(certA.fingerprint256).not.toBe(certB.fingerprint256);
    const ca = new X509Certificate(caPem);
    for (const cert of [certA, certB]) {
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
    }
    // Neither replica generated a CA of its own, nor wrote into the CA dir.
    expect(fs.readdirSync(path.join(root, "replica-a", "webhook"))).toEqual(["tls.pem"]);
    expect(fs.readdirSync(caDir).sort()).toEqual(["tls.crt", "tls.key"]);

    const installation = await ensureInstallation(f.db);
    const name = webhookConfigurationName(s.cluster.id);
    const bundle = async () =>
      (await admission.readMutatingWebhookConfiguration({ name })).webhooks?.map((w) => ({
        ca: Buffer.from(w.clientConfig.caBundle ?? "", "base64").toString(),
        url: w.clientConfig.url,
      }));
    const probe = await s.namespace("probe");
    const pod: V1Pod = { metadata: { generateName: "p-" }, spec: { containers: [{ name: "app", image: "busybox" }] } };
    const calledBy = async (who: string) => {
      await f.core.createNamespacedPod({ namespace: probe, body: pod, dryRun: "All" });
      return reviews.some((r) => r.replica === who && r.namespace === probe);
    };

    // Replica A leads and registers; then B takes over and registers its own URL with the same caBundle.
    expect(await registerWebhook(f.keyring, s.cluster, a.endpoint, installation)).toMatchObject({ ok: true });
    const byA = await bundle();
    expect(byA?.length).toBeGreaterThan(0);
    for (const w of byA ?? []) expect(w).toEqual({ ca: caPem, url: expect.stringContaining(`:${a.port}/`) });
    await eventually(() => calledBy("replica-a"), "the API server to call replica A");

    expect(await registerWebhook(f.keyring, s.cluster, b.endpoint, installation)).toMatchObject({
      ok: true,
      value: "updated",
    });
    const byB = await bundle();
    for (const w of byB ?? []) expect(w).toEqual({ ca: caPem, url: expect.stringContaining(`:${b.port}/`) });
    await eventually(() => calledBy("replica-b"), "the API server to call replica B");
  }, 120_000);
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AdmissionregistrationV1Api, KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientForCluster } from "@/lib/clusters/client";
import { ensureClusterSync, updateClusterSync } from "@/lib/sync/repo";
import {
  reconcileWebhookRegistration,
  registerWebhook,
  type ReviewEvent,
  startWebhookServer,
  syncWebhookRegistration,
  unregisterWebhook,
  webhookConfigurationName,
  type WebhookServer,
} from "@/lib/webhook";
import { parseWebhookSettings } from "@/lib/webhook/settings";
import type { KubeClient } from "@/lib/integrations/kube";
import { ensureInstallation } from "@/lib/installation/repo";
import { createRegistry } from "@/lib/registries/service";
import { syncNamespaces } from "@/db/schema";
import { forgeReview } from "../helpers/admission";
import {
  decode,
  eventually,
  type Fixture,
  openFixture,
  readSecret,
  testScope,
  type TestScope,
} from "./controller-fixture";

const REGISTRY = "registry.webhook.test";
const SECRET = "regcred-wh-private";

let f: Fixture;
let s: TestScope;
let server: WebhookServer | null = null;
let dataDir: string;
let admission: AdmissionregistrationV1Api;
const reviews: ReviewEvent[] = [];
let firstCa = "";

const podBody = (image: string, extra: Partial<NonNullable<V1Pod["spec"]>> = {}): V1Pod => ({
  metadata: { generateName: "p-" },
  spec: { containers: [{ name: "app", image }], ...extra },
});
const pullSecrets = (pod: V1Pod) => pod.spec?.imagePullSecrets?.map((r) => r.name);

/** What the controller's last pass recorded for a namespace: a workload there uses these secrets (mode none trusts only this). */
async function known(ns: string, ...secrets: string[]): Promise<void> {
  await f.db.insert(syncNamespaces).values({
    clusterId: s.cluster.id,
    orgId: s.cluster.orgId,
    namespace: ns,
    syncedAt: new Date(),
    outcome: "ok",
    secrets,
  });
}

async function startServer(): Promise<WebhookServer> {
  return startWebhookServer({
    db: f.db,
    keyring: f.keyring,
    dataDir,
    settings: parseWebhookSettings({ REGCRED_WEBHOOK_PORT: "0" }),
    onReview: (e) => reviews.push(e),
  });
}

beforeAll(async () => {
  f = await openFixture();
  const kc = new KubeConfig();
  kc.loadFromFile(f.kube.KUBECONFIG_ADMIN);
  admission = kc.makeApiClient(AdmissionregistrationV1Api);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-webhook-"));
  s = await testScope(f, "wh");
  await ensureClusterSync(f.db, s.cluster);
  await updateClusterSync(f.db, s.cluster.id, { wiring: "webhook" });
  await createRegistry(s.ctx, {
    id: "wh-private",
    registry: REGISTRY,
    type: "basic",
    creds: { username: "puller", password: "s3cret-pw" },
  });
  await createRegistry(s.ctx, { id: "wh-hub", registry: "docker.io", type: "public" });
  server = await startServer();
  firstCa = server.endpoint.caPem;

  const installation = await ensureInstallation(f.db);
  expect(await registerWebhook(f.keyring, s.cluster, server.endpoint, installation)).toEqual({
    ok: true,
    value: "created",
  });
  expect(await registerWebhook(f.keyring, s.cluster, server.endpoint, installation)).toEqual({
    ok: true,
    value: "unchanged",
  });
  // The API server picks up new webhook configurations from an informer: wait until it calls this one.
  const probe = await s.namespace("probe");
  await eventually(async () => {
    await f.core.createNamespacedPod({ namespace: probe, body: podBody("busybox"), dryRun: "All" });
    return reviews.some((r) => r.namespace === probe);
  }, "the API server to call the webhook");
});

afterAll(async () => {
  await server?.close();
  if (s) await unregisterWebhook(f.keyring, s.cluster);
  await f?.database.close();
  f?.stopKube();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("webhook wiring mode against a real kube-apiserver", () => {
  it("registers a MutatingWebhookConfiguration with the CA bundle, failing open, dry-run aware", async () => {
    const stored = await admission.readMutatingWebhookConfiguration({ name: webhookConfigurationName(s.cluster.id) });
    expect(stored.metadata?.labels).toMatchObject({
      "regcred.dev/installation": await ensureInstallation(f.db),
      "regcred.dev/org": s.cluster.orgId,
    });
    const hook = stored.webhooks?.[0];
    expect(hook).toMatchObject({
      clientConfig: {
        url: `${server!.endpoint.url}/mutate/${s.cluster.id}`,
        caBundle: Buffer.from(server!.endpoint.caPem).toString("base64"),
      },
      failurePolicy: "Ignore",
      sideEffects: "NoneOnDryRun",
      timeoutSeconds: 10,
      reinvocationPolicy: "IfNeeded",
      admissionReviewVersions: ["v1"],
    });
    expect(hook?.namespaceSelector?.matchExpressions).toEqual(
      expect.arrayContaining([
        {
          key: "kubernetes.io/metadata.name",
          operator: "NotIn",
          values: ["kube-node-lease", "kube-public", "kube-system"],
        },
        { key: "regcred.dev/ignore", operator: "NotIn", values: ["true"] },
        { key: "regcred-test", operator: "In", values: [s.label] },
      ]),
    );
  });

  it("a Pod created directly gets imagePullSecrets from the webhook, and its secret exists first", async () => {
    const ns = await s.namespace("direct");
    await known(ns, SECRET);
    const created = await f.core.createNamespacedPod({
      namespace: ns,
      body: podBody(`${REGISTRY}/team/app:1`, { initContainers: [{ name: "init", image: "busybox" }] }),
    });
    expect(pullSecrets(created)).toEqual([SECRET]);
    const stored = await f.core.readNamespacedPod({ namespace: ns, name: created.metadata!.name! });
    expect(pullSecrets(stored)).toEqual([SECRET]);

    const secret = await readSecret(f, ns, SECRET);
    expect(secret?.type).toBe("kubernetes.io/dockerconfigjson");
    expect(secret?.metadata?.labels).toMatchObject({
      "regcred.dev/registry": "wh-private",
      "app.kubernetes.io/managed-by": "regcred",
      "regcred.dev/environment": `${s.cluster.name}.${ns}`,
    });
    expect(secret?.metadata?.labels).toMatchObject({
      "regcred.dev/installation": await ensureInstallation(f.db),
      "regcred.dev/org": s.cluster.orgId,
    });
    expect(secret?.metadata?.annotations).toMatchObject({ "argocd.argoproj.io/compare-options": "IgnoreExtraneous" });
    expect(JSON.parse(decode(secret?.data?.[".dockerconfigjson"]))).toEqual({
      auths: {
        [REGISTRY]: {
          username: "puller",
          password: "s3cret-pw",
          auth: Buffer.from("puller:s3cret-pw").toString("base64"),
        },
      },
    });
    expect(reviews.filter((r) => r.namespace === ns)).toMatchObject([
      { outcome: "ensured", patched: true, dryRun: false },
    ]);

    const again = await f.core.createNamespacedPod({ namespace: ns, body: podBody(`${REGISTRY}/team/app:2`) });
    expect(pullSecrets(again)).toEqual([SECRET]);
  });

  it("a dry-run create gets the patch in its response but nothing is written", async () => {
    const ns = await s.namespace("dry");
    const answer = await f.core.createNamespacedPod({
      namespace: ns,
      body: podBody(`${REGISTRY}/team/app:1`),
      dryRun: "All",
    });
    expect(pullSecrets(answer)).toEqual([SECRET]);
    expect(await readSecret(f, ns, SECRET)).toBeNull();
    expect((await f.core.listNamespacedPod({ namespace: ns })).items).toEqual([]);
    expect(reviews.filter((r) => r.namespace === ns)).toMatchObject([
      { outcome: "dry-run", patched: true, dryRun: true },
    ]);
  });

  it("leaves a Pod alone when no private registry matches its images", async () => {
    const ns = await s.namespace("nomatch");
    const unmatched = await f.core.createNamespacedPod({ namespace: ns, body: podBody("quay.io/other/app:1") });
    const hub = await f.core.createNamespacedPod({ namespace: ns, body: podBody("nginx:1.27") });
    expect(unmatched.spec?.imagePullSecrets).toBeUndefined();
    expect(hub.spec?.imagePullSecrets).toBeUndefined();
    expect(await readSecret(f, ns, SECRET)).toBeNull();
    expect(reviews.filter((r) => r.namespace === ns).map((r) => r.outcome)).toEqual([
      "no-matching-registry",
      "no-matching-registry",
    ]);
  });

  it("keeps a pull secret the Pod already lists and appends its own", async () => {
    const ns = await s.namespace("foreign");
    await known(ns, SECRET);
    const created = await f.core.createNamespacedPod({
      namespace: ns,
      body: podBody(`${REGISTRY}/team/app:1`, { imagePullSecrets: [{ name: "foreign" }] }),
    });
    expect(pullSecrets(created)).toEqual(["foreign", SECRET]);
    expect(await readSecret(f, ns, SECRET)).not.toBeNull();
  });

  it("does not reference or overwrite a same-named secret Regcred does not manage", async () => {
    const ns = await s.namespace("taken");
    await f.core.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { name: SECRET }, type: "Opaque", stringData: { note: "hand-made" } },
    });
    const created = await f.core.createNamespacedPod({ namespace: ns, body: podBody(`${REGISTRY}/team/app:1`) });
    expect(created.spec?.imagePullSecrets).toBeUndefined();
    const secret = await readSecret(f, ns, SECRET);
    expect(secret?.type).toBe("Opaque");
    expect(decode(secret?.data?.note)).toBe("hand-made");
  });

  it("[ownership] does not reference or overwrite another Regcred installation's secret of the same name", async () => {
    const ns = await s.namespace("other-install");
    const labels = {
      "app.kubernetes.io/managed-by": "regcred",
      "regcred.dev/registry": "wh-private",
      "regcred.dev/installation": "zzzzzzzzzz",
      "regcred.dev/org": s.cluster.orgId,
    };
    await f.core.createNamespacedSecret({
      namespace: ns,
      body: {
        metadata: { name: SECRET, labels },
        type: "kubernetes.io/dockerconfigjson",
        stringData: { ".dockerconfigjson": '{"auths":{}}' },
      },
    });
    const created = await f.core.createNamespacedPod({ namespace: ns, body: podBody(`${REGISTRY}/team/app:1`) });
    expect(created.spec?.imagePullSecrets).toBeUndefined();
    expect(decode((await readSecret(f, ns, SECRET))?.data?.[".dockerconfigjson"])).toBe('{"auths":{}}');
  });

  it("still references a secret whose credentials are unavailable, for the controller to create later", async () => {
    await createRegistry(s.ctx, {
      id: "wh-copied",
      registry: "copied.webhook.test",
      type: "secret_ref",
      secrets: { "*": { namespace: s.home, secret: "missing-source" } },
    });
    const ns = await s.namespace("held");
    await known(ns, "regcred-wh-copied");
    const created = await f.core.createNamespacedPod({ namespace: ns, body: podBody("copied.webhook.test/app:1") });
    expect(pullSecrets(created)).toEqual(["regcred-wh-copied"]);
    expect(await readSecret(f, ns, "regcred-wh-copied")).toBeNull();
    expect(reviews.filter((r) => r.namespace === ns)).toMatchObject([{ outcome: "partial", patched: true }]);
  });

  it("is not called for namespaces that opted out with regcred.dev/ignore=true", async () => {
    const ns = await s.namespace("ignored");
    await f.core.patchNamespace({
      name: ns,
      body: [{ op: "add", path: "/metadata/labels/regcred.dev~1ignore", value: "true" }],
    });
    const created = await f.core.createNamespacedPod({ namespace: ns, body: podBody(`${REGISTRY}/team/app:1`) });
    expect(created.spec?.imagePullSecrets).toBeUndefined();
    expect(reviews.some((r) => r.namespace === ns)).toBe(false);
  });

  it("answers within its budget with the patch while the secret is still being written", async () => {
    const real = clientForCluster(f.keyring, s.cluster, { timeoutMs: 10_000 });
    // Reads of the secret in the test namespace wait until the Pod has been admitted: an answer that
    // waited for them would come after the API server's own webhook timeout, and the Pod would carry no patch.
    let admitted: () => void = () => {};
    const gate = new Promise<void>((resolve) => (admitted = resolve));
    let held = "";
    const slowClient: KubeClient = {
      ...real,
      getSecret: async (ns, name) => {
        if (ns === held) await gate;
        return real.getSecret(ns, name);
      },
    };
    const slowReviews: ReviewEvent[] = [];
    const settings = parseWebhookSettings({ REGCRED_WEBHOOK_PORT: "0" });
    const slow = await startWebhookServer({
      db: f.db,
      keyring: f.keyring,
      dataDir,
      settings,
      budgetMs: 400,
      clientFor: () => slowClient,
      onReview: (e) => slowReviews.push(e),
    });
    try {
      expect(await registerWebhook(f.keyring, s.cluster, slow.endpoint, await ensureInstallation(f.db))).toEqual({
        ok: true,
        value: "updated",
      });
      const probe = await s.namespace("slowprobe");
      await eventually(async () => {
        await f.core.createNamespacedPod({ namespace: probe, body: podBody("busybox"), dryRun: "All" });
        return slowReviews.some((r) => r.namespace === probe);
      }, "the API server to call the re-registered webhook");

      const ns = await s.namespace("slow");
      await known(ns, SECRET);
      held = ns;
      const created = await f.core.createNamespacedPod({ namespace: ns, body: podBody(`${REGISTRY}/team/app:1`) });
      expect(pullSecrets(created)).toEqual([SECRET]);
      expect(slowReviews.filter((r) => r.namespace === ns)).toMatchObject([{ outcome: "timeout", patched: true }]);
      expect(await readSecret(f, ns, SECRET)).toBeNull();
      admitted();
      await eventually(() => readSecret(f, ns, SECRET), "the secret written after the answer");
    } finally {
      admitted();
      expect(await registerWebhook(f.keyring, s.cluster, server!.endpoint, await ensureInstallation(f.db))).toEqual({
        ok: true,
        value: "updated",
      });
      await slow.close();
    }
  });

  it("[none] a Pod whose registry the controller has not seen used in its namespace is patched, but its secret is left to the controller", async () => {
    const ns = await s.namespace("unknown");
    const created = await f.core.createNamespacedPod({ namespace: ns, body: podBody(`${REGISTRY}/team/app:1`) });
    expect(pullSecrets(created)).toEqual([SECRET]);
    expect(await readSecret(f, ns, SECRET)).toBeNull();
    expect(reviews.filter((r) => r.namespace === ns)).toMatchObject([{ outcome: "left-to-controller", patched: true }]);
  });

  it("[finding] a forged AdmissionReview from anyone makes Regcred write no secret into the namespace it names", async () => {
    const ns = await s.namespace("forged");
    const answer = await forgeReview(server!, s.cluster.id, ns, `${REGISTRY}/team/app:1`);
    expect(answer.status).toBeLessThan(500);
    expect(await readSecret(f, ns, SECRET)).toBeNull();
    // Not even a namespace outside the cluster's scope, or one that does not exist.
    expect(await readSecret(f, "default", SECRET)).toBeNull();
    await forgeReview(server!, s.cluster.id, "default", `${REGISTRY}/team/app:1`);
    expect(await readSecret(f, "default", SECRET)).toBeNull();
  });

  it("with the webhook server down, pods are still admitted (failurePolicy: Ignore)", async () => {
    await server!.close();
    server = null;
    const ns = await s.namespace("down");
    const created = await f.core.createNamespacedPod({ namespace: ns, body: podBody(`${REGISTRY}/team/app:1`) });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.spec?.imagePullSecrets).toBeUndefined();

    // Restarted from the same data dir it serves with the same CA, so the registration stays valid.
    server = await startServer();
    expect(server.endpoint.caPem).toBe(firstCa);
  });

  it("is removed when the cluster leaves webhook mode", async () => {
    const endpoint = server!.endpoint;
    expect(
      await syncWebhookRegistration(f.keyring, s.cluster, "serviceaccount", endpoint, await ensureInstallation(f.db)),
    ).toEqual({ ok: true, value: "deleted" });
    expect(await unregisterWebhook(f.keyring, s.cluster)).toEqual({ ok: true, value: "absent" });
    await expect(
      admission.readMutatingWebhookConfiguration({ name: webhookConfigurationName(s.cluster.id) }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it("the per-cluster hook registers in webhook mode and removes the configuration otherwise", async () => {
    const name = webhookConfigurationName(s.cluster.id);
    const endpoint = server!.endpoint;
    await reconcileWebhookRegistration(f.db, f.keyring, s.cluster, { endpoint });
    const stored = await admission.readMutatingWebhookConfiguration({ name });
    expect(stored.webhooks?.[0]?.clientConfig?.url).toBe(`${endpoint.url}/mutate/${s.cluster.id}`);
    await updateClusterSync(f.db, s.cluster.id, { wiring: "serviceaccount" });
    await reconcileWebhookRegistration(f.db, f.keyring, s.cluster, { endpoint });
    await expect(admission.readMutatingWebhookConfiguration({ name })).rejects.toMatchObject({ code: 404 });
  });
});

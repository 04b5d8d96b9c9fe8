import fs from "node:fs";
import { AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type KubeClient, type WatchEvent } from "@/lib/integrations/kube";
import { extractWorkloadImages } from "@/lib/sync";
import { uniqueId } from "../helpers/db";
import { ensureKube, type KubeEnv } from "../helpers/kube";

let kube: KubeEnv;
let stopKube = () => {};
let core: CoreV1Api;
let apps: AppsV1Api;
let batch: BatchV1Api;
let client: KubeClient;
const requests: string[] = [];

beforeAll(() => {
  const started = ensureKube();
  kube = started.env;
  stopKube = started.stop;
  const kc = new KubeConfig();
  kc.loadFromFile(kube.KUBECONFIG_ADMIN);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  batch = kc.makeApiClient(BatchV1Api);
  client = connect(
    { kind: "kubeconfig", kubeconfig: fs.readFileSync(kube.KUBECONFIG_ADMIN, "utf8") },
    { onRequest: ({ method, url }) => void requests.push(`${method} ${new URL(url).pathname}`) },
  );
});

afterAll(() => stopKube());

async function freshNamespace(): Promise<string> {
  const name = uniqueId("ctl-kube").slice(0, 50);
  await core.createNamespace({ body: { metadata: { name } } });
  return name;
}

const template = (image: string, extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app: "x" } },
  spec: { containers: [{ name: "c", image }], initContainers: [{ name: "i", image: `${image}-init` }], ...extra },
});

async function until<T>(fn: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("KubeClient against a real kube-apiserver", () => {
  it("lists every workload kind and ServiceAccount across namespaces, one LIST per kind", async () => {
    const ns = await freshNamespace();
    const sel = { matchLabels: { app: "x" } };
    await core.createNamespacedServiceAccount({
      namespace: ns,
      body: { metadata: { name: "builder" }, imagePullSecrets: [{ name: "foreign" }] },
    });
    await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: "p" },
        spec: { containers: [{ name: "c", image: "reg.example.com/pod:1" }], serviceAccountName: "builder" },
      },
    });
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: "d" },
        spec: {
          selector: sel,
          template: template("reg.example.com/deploy:1", { imagePullSecrets: [{ name: "own" }] }),
        },
      },
    });
    await apps.createNamespacedStatefulSet({
      namespace: ns,
      body: {
        metadata: { name: "s" },
        spec: { selector: sel, serviceName: "s", template: template("reg.example.com/sts:1") },
      },
    });
    await apps.createNamespacedDaemonSet({
      namespace: ns,
      body: { metadata: { name: "ds" }, spec: { selector: sel, template: template("reg.example.com/ds:1") } },
    });
    await apps.createNamespacedReplicaSet({
      namespace: ns,
      body: { metadata: { name: "rs" }, spec: { selector: sel, template: template("reg.example.com/rs:1") } },
    });
    const job = {
      metadata: { labels: { app: "x" } },
      spec: { restartPolicy: "Never", containers: [{ name: "c", image: "reg.example.com/job:1" }] },
    };
    await batch.createNamespacedJob({ namespace: ns, body: { metadata: { name: "j" }, spec: { template: job } } });
    await batch.createNamespacedCronJob({
      namespace: ns,
      body: { metadata: { name: "cj" }, spec: { schedule: "* * * * *", jobTemplate: { spec: { template: job } } } },
    });

    const before = requests.length;
    const listed = await client.listWorkloads();
    // One paginated LIST per kind across all namespaces (a busy test cluster may need more than one page).
    expect([...new Set(requests.slice(before))].sort()).toEqual([
      "GET /api/v1/pods",
      "GET /apis/apps/v1/daemonsets",
      "GET /apis/apps/v1/deployments",
      "GET /apis/apps/v1/replicasets",
      "GET /apis/apps/v1/statefulsets",
      "GET /apis/batch/v1/cronjobs",
      "GET /apis/batch/v1/jobs",
    ]);
    expect(listed.ok).toBe(true);
    if (!listed.ok) return;
    const mine = listed.value.filter((w) => w.metadata.namespace === ns).map(extractWorkloadImages);
    const byKind = Object.fromEntries(mine.map((w) => [w.kind, w]));
    expect(Object.keys(byKind).sort()).toEqual([
      "CronJob",
      "DaemonSet",
      "Deployment",
      "Job",
      "Pod",
      "ReplicaSet",
      "StatefulSet",
    ]);
    expect(byKind.Pod).toMatchObject({ images: ["reg.example.com/pod:1"], serviceAccountName: "builder" });
    expect(byKind.Deployment).toMatchObject({
      images: ["reg.example.com/deploy:1-init", "reg.example.com/deploy:1"],
      imagePullSecrets: [{ name: "own" }],
      templatePatchable: true,
    });
    expect(byKind.CronJob).toMatchObject({ images: ["reg.example.com/job:1"] });

    const sas = await client.listServiceAccounts();
    expect(sas.ok && sas.value.find((sa) => sa.namespace === ns && sa.name === "builder")).toMatchObject({
      imagePullSecrets: ["foreign"],
    });
  });

  it("creates, replaces with a precondition, annotates and deletes secrets", async () => {
    const ns = await freshNamespace();
    const write = {
      namespace: ns,
      name: "regcred-x",
      type: "kubernetes.io/dockerconfigjson",
      labels: { a: "1" },
      annotations: {},
      data: { ".dockerconfigjson": btoa("{}") },
    };
    const created = await client.createSecret(write);
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const again = await client.createSecret(write);
    expect(again.ok ? null : again.error.kind).toBe("conflict");
    const replaced = await client.replaceSecret(
      { ...write, labels: { a: "2" } },
      { resourceVersion: created.value.resourceVersion },
    );
    expect(replaced.ok && replaced.value.labels).toEqual({ a: "2" });
    const stale = await client.replaceSecret(
      { ...write, labels: { a: "3" } },
      { resourceVersion: created.value.resourceVersion },
    );
    expect(stale.ok ? null : stale.error.kind).toBe("conflict");
    const annotated = await client.annotateSecret(ns, "regcred-x", { note: "n" });
    expect(annotated.ok && annotated.value.annotations).toEqual({ note: "n" });
    const removed = await client.annotateSecret(ns, "regcred-x", { note: null });
    expect(removed.ok && removed.value.annotations).toEqual({});
    const staleDelete = await client.deleteSecret(ns, "regcred-x", { resourceVersion: created.value.resourceVersion });
    expect(staleDelete.ok ? null : staleDelete.error.kind).toBe("conflict");
    expect((await client.deleteSecret(ns, "regcred-x")).ok).toBe(true);
    const gone = await client.deleteSecret(ns, "regcred-x");
    expect(gone.ok ? null : gone.error.kind).toBe("not-found");
  });

  it("patches ServiceAccount and pod-template imagePullSecrets", async () => {
    const ns = await freshNamespace();
    await core.createNamespacedServiceAccount({
      namespace: ns,
      body: { metadata: { name: "default" }, imagePullSecrets: [{ name: "foreign" }] },
    });
    const patched = await client.patchServiceAccountPullSecrets(ns, "default", [
      { name: "foreign" },
      { name: "regcred-a" },
    ]);
    expect(patched.ok && patched.value.imagePullSecrets).toEqual(["foreign", "regcred-a"]);
    const stale = await client.patchServiceAccountPullSecrets(ns, "default", [], { resourceVersion: "1" });
    expect(stale.ok ? null : stale.error.kind).toBe("conflict");
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: { metadata: { name: "d" }, spec: { selector: { matchLabels: { app: "x" } }, template: template("r/x:1") } },
    });
    await batch.createNamespacedCronJob({
      namespace: ns,
      body: {
        metadata: { name: "cj" },
        spec: {
          schedule: "* * * * *",
          jobTemplate: {
            spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "r/x" }] } } },
          },
        },
      },
    });
    expect((await client.patchWorkloadPullSecrets("Deployment", ns, "d", [{ name: "regcred-a" }])).ok).toBe(true);
    expect((await client.patchWorkloadPullSecrets("CronJob", ns, "cj", [{ name: "regcred-a" }])).ok).toBe(true);
    const d = await apps.readNamespacedDeployment({ namespace: ns, name: "d" });
    expect(d.spec?.template.spec?.imagePullSecrets).toEqual([{ name: "regcred-a" }]);
    const cj = await batch.readNamespacedCronJob({ namespace: ns, name: "cj" });
    expect(cj.spec?.jobTemplate.spec?.template.spec?.imagePullSecrets).toEqual([{ name: "regcred-a" }]);
  });

  it("creates and updates a Lease with resourceVersion conflicts", async () => {
    const ns = await freshNamespace();
    const now = new Date().toISOString();
    const lease = {
      namespace: ns,
      name: "regcred-controller",
      holderIdentity: "a",
      leaseDurationSeconds: 15,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    const created = await client.createLease(lease);
    expect(created.ok && created.value).toMatchObject({
      holderIdentity: "a",
      leaseDurationSeconds: 15,
      renewTime: now,
    });
    if (!created.ok) return;
    const updated = await client.updateLease({
      ...lease,
      holderIdentity: "b",
      leaseTransitions: 1,
      resourceVersion: created.value.resourceVersion,
    });
    expect(updated.ok && updated.value.holderIdentity).toBe("b");
    const stale = await client.updateLease({
      ...lease,
      holderIdentity: "c",
      resourceVersion: created.value.resourceVersion,
    });
    expect(stale.ok ? null : stale.error.kind).toBe("conflict");
    const read = await client.getLease(ns, "regcred-controller");
    expect(read.ok && read.value).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
  });

  it("watches from now: later events only, filtered by label", async () => {
    const ns = await freshNamespace();
    await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: "before", labels: { w: "1" } } } });
    const events: WatchEvent[] = [];
    let connected = 0;
    const handle = client.watch(
      "Secret",
      { namespace: ns, labelSelector: "w=1" },
      { onEvent: (e) => events.push(e), onConnected: () => void connected++ },
    );
    try {
      await until(() => (connected > 0 ? true : undefined));
      await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: "other" } } });
      await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: "after", labels: { w: "1" } } } });
      await core.deleteNamespacedSecret({ namespace: ns, name: "after" });
      await until(() => (events.length >= 2 ? true : undefined));
      expect(events.map((e) => [e.type, e.object.metadata?.name])).toEqual([
        ["ADDED", "after"],
        ["DELETED", "after"],
      ]);
    } finally {
      handle.stop();
    }
  });
});

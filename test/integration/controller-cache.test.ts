// The watch-fed controller on a kube-apiserver of this file's own, whose audit log records every request
// Regcred's identity sends: after start nothing is re-listed (not for a new namespace, not during pod churn,
// not to repair drift) until a 410 Gone forces one re-list per collection.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { clientForCluster } from "@/lib/clusters/client";
import { findClusterRow } from "@/lib/clusters/repo";
import { createCluster } from "@/lib/clusters/service";
import { ClusterManager } from "@/lib/controller/manager";
import { createKeyring } from "@/lib/crypto/secret-box";
import { ensureInstallation } from "@/lib/installation/repo";
import { createRegistry } from "@/lib/registries/service";
import { listNamespaceResults } from "@/lib/sync/repo";
import { actorFor, backends, createOrg } from "../helpers/db";
import { type AuditEvent, type AuditedKube, startAuditedKube, WRITE_VERBS } from "../helpers/audited-kube";
import { decode, eventually } from "./controller-fixture";

const REGISTRY = "registry.cache-test.example";
const IMAGE = `${REGISTRY}/team/app:1`;
const SECRET = "regcred-cache";
const LABEL = "regcred-cache-test";

let kube: AuditedKube;
let database: Database;
let manager: ClusterManager;
let username: string;
const keyring = createKeyring(randomBytes(32));

async function namespace(name: string): Promise<string> {
  await kube.core.createNamespace({ body: { metadata: { name, labels: { [LABEL]: "yes" } } } });
  await kube.core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: "default" } } });
  return name;
}

async function deployment(ns: string, name: string, image = IMAGE): Promise<void> {
  await kube.apps.createNamespacedDeployment({
    namespace: ns,
    body: {
      metadata: { name },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image }] } },
      },
    },
  });
}

async function secret(ns: string) {
  try {
    return await kube.core.readNamespacedSecret({ namespace: ns, name: SECRET });
  } catch (err) {
    if ((err as { code?: number }).code === 404) return null;
    throw err;
  }
}

const wired = async (ns: string) =>
  ((await kube.core.readNamespacedServiceAccount({ namespace: ns, name: "default" })).imagePullSecrets ?? []).some(
    (r) => r.name === SECRET,
  );

/** Now, to count requests received from here on (watches end, and are logged, long after they began). */
const mark = () => Date.now();

/** Regcred's requests (its own identity) received since `since`, leases left out. */
function regcredRequests(since: number): AuditEvent[] {
  return kube
    .events()
    .filter((e) => Date.parse(e.requestReceivedTimestamp) >= since)
    .filter((e) => e.user.username === username && e.objectRef?.resource !== "leases");
}
const lists = (events: AuditEvent[]) => events.filter((e) => e.verb === "list");
const writes = (events: AuditEvent[]) => events.filter((e) => WRITE_VERBS.includes(e.verb));
/** One LIST per collection the cache holds (secrets twice: pull secrets, and Regcred's of other types). */
const COLLECTIONS = [
  "list cronjobs",
  "list daemonsets",
  "list deployments",
  "list jobs",
  "list namespaces",
  "list pods",
  "list replicasets",
  "list secrets",
  "list secrets",
  "list serviceaccounts",
  "list statefulsets",
];
const describe_ = (e: AuditEvent) =>
  `${e.verb} ${e.objectRef?.resource}${e.objectRef?.namespace ? ` ${e.objectRef.namespace}` : ""}`;

beforeAll(async () => {
  kube = startAuditedKube("cache", ["- level: Metadata", "  omitStages: [RequestReceived]"]);
  database = await backends[0]!.open();
  const db = database.db;
  const orgId = await createOrg(db, "cache");
  const ctx = { db, keyring, actor: actorFor(orgId, "admin") };
  const home = await namespace("cache-home");
  const id = await kube.identity("cache-home", "regcred", home);
  username = id.username;
  await createRegistry(ctx, {
    id: "cache",
    registry: REGISTRY,
    type: "basic",
    creds: { username: "robot", password: "cache-test-password" },
  });
  const created = await createCluster(ctx, {
    name: "cache",
    kubeconfig: id.kubeconfig,
    namespace_selector: `${LABEL}=yes`,
  });
  const cluster = (await findClusterRow(db, orgId, created.id))!;
  await deployment(await namespace("cache-a"), "web");
  manager = new ClusterManager({
    db,
    keyring,
    cluster,
    client: clientForCluster(keyring, cluster, { timeoutMs: 10_000 }),
    instanceId: "cache-test",
    installation: await ensureInstallation(db),
    resyncMs: 3_600_000,
    gracePeriodMs: 3_600_000,
    leaseDurationMs: 15_000,
    timeoutMs: 10_000,
    tickMs: 100,
    leases: false,
  });
  manager.start();
  await eventually(async () => manager.status().passes > 0, "the first pass");
  await manager.idle();
  await eventually(() => secret("cache-a"), "the first namespace's secret");
}, 240_000);

afterAll(async () => {
  await manager?.stop();
  await database?.close();
  kube?.stop();
});

describe("watch-fed controller (audit log of a real kube-apiserver)", () => {
  it("[start] lists each collection once: namespaces, seven workload kinds, ServiceAccounts, two kinds of secrets", () => {
    expect(lists(regcredRequests(0)).map(describe_).sort()).toEqual(COLLECTIONS);
    expect(manager.clusterCache()!.lists).toBe(11);
  });

  it("[new namespace] a new consuming namespace costs its two writes and no LIST; pod churn costs nothing", async () => {
    const since = mark();
    const ns = await namespace("cache-b");
    await deployment(ns, "api");
    await eventually(async () => (await secret(ns)) && (await wired(ns)), "the new namespace's secret and wiring");
    await manager.idle();
    const sent = regcredRequests(since).filter((e) => e.verb !== "watch");
    expect(sent.map(describe_).sort()).toEqual(["create secrets cache-b", "patch serviceaccounts cache-b"]);

    // Pods come and go (as a ReplicaSet's would): the namespace's images and wiring stay the same.
    const churn = mark();
    for (let i = 0; i < 10; i++) {
      const name = `churn-${i}`;
      await kube.core.createNamespacedPod({
        namespace: ns,
        body: { metadata: { name }, spec: { containers: [{ name: "app", image: IMAGE }] } },
      });
      await kube.core.deleteNamespacedPod({ namespace: ns, name, gracePeriodSeconds: 0 });
    }
    await new Promise((r) => setTimeout(r, 1_000));
    await manager.idle();
    expect(
      regcredRequests(churn)
        .filter((e) => e.verb !== "watch")
        .map(describe_),
    ).toEqual([]);
  });

  it("[drift] a managed secret edited or deleted by hand is restored from the cache, without a LIST", async () => {
    const since = mark();
    const before = (await secret("cache-a"))!;
    const original = decode(before.data?.[".dockerconfigjson"]);
    await kube.core.replaceNamespacedSecret({
      namespace: "cache-a",
      name: SECRET,
      body: { ...before, data: { ".dockerconfigjson": Buffer.from('{"auths":{}}').toString("base64") } },
    });
    await eventually(
      async () => decode((await secret("cache-a"))?.data?.[".dockerconfigjson"]) === original,
      "the edited secret to be restored",
    );
    await kube.core.deleteNamespacedSecret({ namespace: "cache-a", name: SECRET });
    await eventually(
      async () => decode((await secret("cache-a"))?.data?.[".dockerconfigjson"]) === original,
      "the deleted secret to be re-created",
    );
    await manager.idle();
    const sent = regcredRequests(since);
    expect(lists(sent)).toEqual([]);
    expect(writes(sent).map(describe_).sort()).toEqual(["create secrets cache-a", "update secrets cache-a"]);
  });

  it("[410] etcd compacted while the API server was down: one re-list per collection, the same state, and watches resume", async () => {
    const cache = manager.clusterCache()!;
    const listsBefore = cache.lists;
    const versions = async () =>
      Promise.all(["cache-a", "cache-b"].map(async (ns) => (await secret(ns))?.metadata?.resourceVersion));
    const secretsBefore = await versions();
    const resultsBefore = (await listNamespaceResults(database.db, manager.clusterId)).map((r) => r.namespace);
    const since = mark();

    execFileSync(path.resolve("scripts/peers/kube-restart-apiserver.sh"), [kube.dir, "--kill", "--compact-etcd"], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, REGCRED_PEERS_QUIET: "1" },
      timeout: 180_000,
    });
    await eventually(async () => cache.lists === listsBefore * 2, "every collection to be re-listed", 90_000);
    await manager.idle();

    const sent = regcredRequests(since);
    expect(lists(sent).map(describe_).sort()).toEqual(COLLECTIONS);
    expect(writes(sent)).toEqual([]);
    expect(await versions()).toEqual(secretsBefore);
    expect((await listNamespaceResults(database.db, manager.clusterId)).map((r) => r.namespace)).toEqual(resultsBefore);

    // The watches run again from the re-listed version: a new namespace is served without another LIST.
    const ns = await namespace("cache-c");
    await deployment(ns, "late");
    await eventually(async () => (await secret(ns)) && (await wired(ns)), "the namespace created after the re-list");
    expect(lists(regcredRequests(since)).length).toBe(11);
    expect(cache.lists).toBe(listsBefore * 2);
  }, 180_000);

  it("[down] an API server that goes away after the cache synced: a pass reports the cluster unreachable, not in step, and recovers", async () => {
    const restarted = promisify(execFile)(
      path.resolve("scripts/peers/kube-restart-apiserver.sh"),
      [kube.dir, "--kill"],
      { env: { ...process.env, REGCRED_PEERS_QUIET: "1", REGCRED_APISERVER_DOWNTIME: "8" }, timeout: 180_000 },
    );
    const cache = manager.clusterCache()!;
    await eventually(async () => cache.contents() === null, "the watches to fail");
    manager.request("manual");
    await manager.idle();
    expect(manager.status().last).toMatchObject({ status: "failed", unreachable: true });
    expect(manager.status().last?.error).toMatch(/^watch the cluster: /);
    await restarted;
    await eventually(async () => manager.status().last?.status === "succeeded", "a pass to succeed again", 150_000);
  }, 300_000);
});

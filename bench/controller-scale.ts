// Controller scale bench, on the real kube-apiserver and moto (REFERENCE.md §4). Run:
//   bench/controller-scale.sh            (its own kube-apiserver; MOTO_URL when set, else its own moto)
// Prints: seconds from creating a Deployment to its secret being present (1 namespace, 200 at once, one more
// among 200); HTTP requests per full resync of 200 namespaces; ECR GetAuthorizationToken calls per refresh cycle.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { AppsV1Api, CoreV1Api, KubeConfig, loadYaml } from "@kubernetes/client-node";
import { openDatabase } from "@/db/client";
import { orgs } from "@/db/schema";
import { connectionOf } from "@/lib/clusters/client";
import { findClusterRow } from "@/lib/clusters/repo";
import { createCluster } from "@/lib/clusters/service";
import { type Clock, ClusterManager } from "@/lib/controller/manager";
import { createKeyring } from "@/lib/crypto/secret-box";
import { ecrMintCount } from "@/lib/integrations/ecr";
import { connect } from "@/lib/integrations/kube";
import { createRegistry } from "@/lib/registries/service";
import { ensureInstallation } from "@/lib/installation/repo";
import { ensureKube } from "@/test/helpers/kube";
import { ensureMoto, setupEcrIdentities } from "@/test/peers";

const N = Number(process.env.BENCH_NAMESPACES ?? 200);
const ECR_HOST = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const MOTO_EXPIRY = Date.parse("2015-01-01T00:00:00Z");
const run = randomBytes(3).toString("hex");

const kube = ensureKube();
const kc = new KubeConfig();
kc.loadFromFile(kube.env.KUBECONFIG_ADMIN);
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);
const moto = await ensureMoto();
const ids = await setupEcrIdentities(moto.url);
const database = await openDatabase({});
const db = database.db;
const keyring = createKeyring(randomBytes(32));
const orgId = `bench-${run}`;
await db.insert(orgs).values({ id: orgId, name: orgId });
const ctx = {
  db,
  keyring,
  actor: {
    orgId,
    role: "admin" as const,
    kind: "user" as const,
    userId: null,
    tokenId: null,
    label: "bench",
    scopes: [],
  },
};
await createRegistry(ctx, {
  id: "ecr",
  registry: ECR_HOST,
  type: "amazon_ecr",
  creds: { username: ids.ecrUser.accessKeyId, password: ids.ecrUser.secretAccessKey },
});

let fakeNow = MOTO_EXPIRY - 12 * 3_600_000;
const clock: Clock = { now: () => new Date(fakeNow) };
const counts = { total: 0, byRoute: new Map<string, number>() };
const count = (method: string, url: string) => {
  counts.total += 1;
  const route = `${method} ${new URL(url).pathname.replace(/\/namespaces\/[^/]+/, "/namespaces/*")}`;
  counts.byRoute.set(route, (counts.byRoute.get(route) ?? 0) + 1);
};
const resetCounts = () => {
  counts.total = 0;
  counts.byRoute.clear();
};

async function namespace(label: string, name: string): Promise<void> {
  await core.createNamespace({ body: { metadata: { name, labels: { "regcred-bench": `${label}-${run}` } } } });
  await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: "default" } } });
}

async function deployment(ns: string): Promise<void> {
  await apps.createNamespacedDeployment({
    namespace: ns,
    body: {
      metadata: { name: "web" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: `${ECR_HOST}/team/web:1` }] },
        },
      },
    },
  });
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function present(namespaces: readonly string[]): Promise<number> {
  const listed = await core.listSecretForAllNamespaces({ labelSelector: "regcred.dev/registry=ecr" });
  const wanted = new Set(namespaces);
  return listed.items.filter((s) => wanted.has(s.metadata?.namespace ?? "")).length;
}

async function waitAll(namespaces: readonly string[], timeoutMs = 300_000): Promise<number> {
  const start = performance.now();
  while ((await present(namespaces)) < namespaces.length) {
    if (performance.now() - start > timeoutMs) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
  return performance.now();
}

async function scope(label: string): Promise<{ manager: ClusterManager; spaces: string[] }> {
  const home = `rb-${run}-${label}-home`;
  await namespace(label, home);
  const doc = loadYaml<{ contexts: Array<{ context: Record<string, unknown> }> }>(
    fs.readFileSync(kube.env.KUBECONFIG_ADMIN, "utf8"),
  );
  for (const c of doc.contexts) c.context.namespace = home;
  const created = await createCluster(ctx, {
    name: `bench-${label}-${run}`,
    kubeconfig: JSON.stringify(doc),
    namespace_selector: `regcred-bench=${label}-${run}`,
  });
  const row = (await findClusterRow(db, orgId, created.id))!;
  const client = connect(connectionOf(keyring, row), {
    timeoutMs: 20_000,
    onRequest: ({ method, url }) => count(method, url),
  });
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
  const manager = new ClusterManager({
    db,
    keyring,
    installation: await ensureInstallation(db),
    cluster: row,
    client,
    instanceId: `bench-${run}`,
    resyncMs: 3_600_000,
    gracePeriodMs: 3_600_000,
    leaseDurationMs: 15_000,
    timeoutMs: 20_000,
    ecrEndpoint: moto.url,
    clock,
    tickMs: 200,
    concurrency,
  });
  manager.start();
  while (!manager.isLeader() || manager.status().passes === 0) await new Promise((r) => setTimeout(r, 50));
  await manager.idle();
  return { manager, spaces: [] };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// 1 namespace
const one = await scope("one");
const oneNs = `rb-${run}-one-0`;
await namespace("one", oneNs);
await one.manager.idle();
let t0 = performance.now();
await deployment(oneNs);
const oneLatency = (await waitAll([oneNs])) - t0;

// 200 namespaces, Deployments created together
const many = await scope("many");
const spaces = Array.from({ length: N }, (_, i) => `rb-${run}-many-${i}`);
await pool(spaces, 8, (ns) => namespace("many", ns));
await new Promise((r) => setTimeout(r, 1_000));
await many.manager.idle();
const mintsBefore = ecrMintCount();
const rolloutStart = performance.now();
let lastCreated = 0;
await pool(spaces, 16, async (ns) => {
  await deployment(ns);
  lastCreated = performance.now();
});
const allPresent = await waitAll(spaces);
await many.manager.idle();
const rolloutMints = ecrMintCount() - mintsBefore;

// one more Deployment among 200 namespaces
const extra = `rb-${run}-many-extra`;
await namespace("many", extra);
await many.manager.idle();
t0 = performance.now();
await deployment(extra);
const extraLatency = (await waitAll([extra])) - t0;
await many.manager.idle();

// a full resync of the 200 (+1) namespaces, nothing to change
resetCounts();
const passes = many.manager.status().passes;
many.manager.request("resync");
while (many.manager.status().passes === passes) await new Promise((r) => setTimeout(r, 20));
await many.manager.idle();
const resyncRoutes = [...counts.byRoute].filter(([route]) => !route.includes("/leases/")).sort();
const resyncRequests = resyncRoutes.reduce((n, [, c]) => n + c, 0);
const leaseRequests = counts.total - resyncRequests;
const resyncWrites = many.manager.status().last?.summary;

// a refresh cycle: 10 h later (75% of the 12 h token), both clusters refresh
const refreshMints = ecrMintCount();
const before = [one.manager.status().passes, many.manager.status().passes];
fakeNow += 10 * 3_600_000;
while (one.manager.status().passes === before[0] || many.manager.status().passes === before[1])
  await new Promise((r) => setTimeout(r, 50));
await Promise.all([one.manager.idle(), many.manager.idle()]);
const mintsPerRefresh = ecrMintCount() - refreshMints;

await Promise.all([one.manager.stop(), many.manager.stop()]);
await database.close();
await moto.stop();
kube.stop();

const lines = [
  `controller-scale bench (kube-apiserver ${kube.env.KUBE_VERSION}, ${N} namespaces, ECR via moto)`,
  `  Deployment → secret present, 1 namespace:                ${fmt(oneLatency)}`,
  `  ${N} Deployments created together → all ${N} secrets:     ${fmt(allPresent - rolloutStart)} from the first create, ${fmt(allPresent - lastCreated)} after the last (creating them took ${fmt(lastCreated - rolloutStart)})`,
  `  one more Deployment among ${N + 1} namespaces → secret:     ${fmt(extraLatency)}`,
  `  ratio (one among ${N + 1} / one alone):                       ${(extraLatency / oneLatency).toFixed(2)}`,
  `  HTTP requests per full resync of ${N + 1} namespaces:       ${resyncRequests} (${(resyncRequests / (N + 1)).toFixed(3)} per namespace; writes: ${JSON.stringify(resyncWrites ? { created: resyncWrites.created, updated: resyncWrites.updated, serviceAccounts: resyncWrites.serviceAccounts } : null)})`,
  ...resyncRoutes.map(([route, n]) => `      ${String(n).padStart(3)} × ${route}`),
  `      (plus ${leaseRequests} Lease renewal request(s) in the same time, made every 5 s whatever happens)`,
  `  ECR GetAuthorizationToken calls, ${N}-namespace rollout:    ${rolloutMints} (the token minted for the first cluster is shared until 75% of its lifetime)`,
  `  ECR GetAuthorizationToken calls in the whole run:           ${ecrMintCount()}`,
  `  ECR GetAuthorizationToken calls per refresh cycle (2 clusters, ${N + 2} namespaces): ${mintsPerRefresh}`,
];
fs.writeSync(1, `${lines.join("\n")}\n`);
process.exit(0);

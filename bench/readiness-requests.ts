/**
 * How many requests a full readiness pass over 200 workloads sends, cold (empty repository-check cache, a manager's
 * re-check) and cached (the scheduled run and a viewer's read afterwards), counted on the wire: Kubernetes API requests
 * through the KubeClient's onRequest hook, registry and token-endpoint requests by the check runner. The baseline in
 * the same run is one check per workload image without the cache (what a per-workload check would send).
 *
 *   npx tsx --conditions=react-server bench/readiness-requests.ts [--workloads 200] [--repositories 20]
 *
 * Uses the kube-apiserver named by KUBECONFIG_ADMIN, else starts one (scripts/peers/kube-up.sh), and starts its own
 * docker-registry (htpasswd, TLS) with the images pushed.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { openDatabase } from "@/db/client";
import { connectionOf } from "@/lib/clusters/client";
import { listClusterRows } from "@/lib/clusters/repo";
import { createCluster } from "@/lib/clusters/service";
import { ClusterCache } from "@/lib/controller/cache";
import { reconcileCluster } from "@/lib/controller/reconcile";
import { createKeyring } from "@/lib/crypto/secret-box";
import type { Ctx } from "@/lib/context";
import { connect, type KubeClient } from "@/lib/integrations/kube";
import { checkRepositories } from "@/lib/readiness/recheck";
import { getReadinessView } from "@/lib/readiness/service";
import { createRegistry } from "@/lib/registries/service";
import { setControllerSignals } from "@/lib/sync/signal";
import { actorFor, createOrg } from "@/test/helpers/db";
import { ensureKube } from "@/test/helpers/kube";
import { inBatches } from "./lib/batches";
import { createTestPki, pushImage, startRegistry } from "@/test/peers";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => Number(args[args.indexOf(name) + 1] || fallback) || fallback;
const workloads = arg("--workloads", 200);
const repositories = arg("--repositories", 20);
const namespaces = Math.ceil(workloads / 10);
const suffix = randomBytes(3).toString("hex");
const password = randomBytes(12).toString("hex");

function counting(keyring: Parameters<typeof connectionOf>[0], counter: { n: number }) {
  return (row: Parameters<typeof connectionOf>[1], timeoutMs: number): KubeClient =>
    connect(connectionOf(keyring, row), { timeoutMs, onRequest: () => void (counter.n += 1) });
}

async function main(): Promise<void> {
  const kube = ensureKube();
  const kc = new KubeConfig();
  kc.loadFromFile(kube.env.KUBECONFIG_ADMIN);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const pki = await createTestPki();
  const registry = await startRegistry({
    name: "bench-readiness",
    tls: pki.server,
    auth: { htpasswd: { bench: password } },
  });
  const authorization = `Basic ${Buffer.from(`bench:${password}`).toString("base64")}`;
  const repos = Array.from({ length: repositories }, (_, i) => `team/app${i}`);
  await inBatches(repos, 4, (r) => pushImage(registry, r, "1.0", { ca: pki.ca.cert, authorization }));

  const database = await openDatabase({});
  const keyring = createKeyring(randomBytes(32));
  const orgId = await createOrg(database.db, "bench");
  const ctx: Ctx = { db: database.db, keyring, actor: actorFor(orgId, "admin") };
  const label = `bench-ready-${suffix}`;
  await createCluster(ctx, {
    name: "bench",
    kubeconfig: fs.readFileSync(kube.env.KUBECONFIG_ADMIN, "utf8"),
    namespace_selector: `bench=${label}`,
  });
  await createRegistry(ctx, {
    id: "bench",
    registry: registry.host,
    type: "basic",
    creds: { username: "bench", password },
    ca_cert: pki.ca.cert,
  });
  const names = Array.from({ length: namespaces }, (_, i) => `${label}-${String(i).padStart(3, "0")}`);
  await inBatches(names, 10, async (namespace) => {
    await core.createNamespace({ body: { metadata: { name: namespace, labels: { bench: label } } } });
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: "default" } } });
  });
  const items = Array.from({ length: workloads }, (_, i) => ({ namespace: names[i % namespaces]!, i }));
  await inBatches(items, 10, ({ namespace, i }) =>
    apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: `web${i}` },
        spec: {
          selector: { matchLabels: { app: `web${i}` } },
          template: {
            metadata: { labels: { app: `web${i}` } },
            spec: { containers: [{ name: "web", image: `${registry.host}/${repos[i % repositories]}:1.0` }] },
          },
        },
      },
    }),
  );

  // One controller pass writes the pull secrets and wires the ServiceAccounts, so the workloads can be ready.
  const [row] = await listClusterRows(database.db, orgId);
  const pass = await reconcileCluster(
    {
      db: database.db,
      keyring,
      client: connect(connectionOf(keyring, row!)),
      now: () => new Date(),
      gracePeriodMs: 60_000,
      timeoutMs: 30_000,
      instanceId: "bench",
    },
    row!,
    { trigger: "manual" },
  );
  if (pass.status !== "succeeded") throw new Error(`the controller pass ${pass.status}: ${pass.error}`);
  const kubeCount = { n: 0 };
  const clientFor = counting(keyring, kubeCount);
  const run = async (force: boolean) => {
    kubeCount.n = 0;
    const r = await checkRepositories(scopeOf(), () => true, { force, clientFor });
    return { kube: kubeCount.n, registry: r.requests, checked: r.checked, fresh: r.skippedFresh };
  };
  const scopeOf = () => ({ db: database.db, keyring, orgId });
  const view = async () => {
    kubeCount.n = 0;
    const v = await getReadinessView(ctx, {}, { clientFor });
    return { kube: kubeCount.n, workloads: v.workloads.length, ready: v.counts.ready };
  };

  const cold = await run(true);
  const perCheck = cold.checked > 0 ? cold.registry / cold.checked : 0;
  const baseline = Math.round(perCheck * workloads);
  const scheduled = await run(false);
  const listed = await view();
  // The controller's watch-fed cache, as the in-process controller hands it to the views: one LIST+WATCH per kind.
  kubeCount.n = 0;
  const cache = new ClusterCache({
    client: clientFor(row!, 10_000),
    scope: { namespaceSelector: row!.namespaceSelector, excludeNamespaces: row!.excludeNamespaces },
    onChange: () => undefined,
  });
  if (!(await cache.whenSynced(60_000))) throw new Error("the cache did not sync within 60 s");
  const cacheStart = kubeCount.n;
  setControllerSignals({ cluster: async () => undefined, org: () => undefined, contents: () => cache.contents() });
  const cachedView = await view();
  const cachedRun = await run(false);
  console.log(`readiness over ${workloads} workloads in ${namespaces} namespaces, ${repositories} repositories`);
  console.log(`  baseline (one check per workload image, no cache): ${baseline} registry requests`);
  console.log(
    `  cold re-check:     ${cold.registry} registry requests (${cold.checked} checks), ${cold.kube} Kubernetes requests; ratio to baseline ${(cold.registry / baseline).toFixed(3)}`,
  );
  console.log(
    `  cached scheduled:  ${scheduled.registry} registry requests (${scheduled.fresh} fresh, ${scheduled.checked} checked), ${scheduled.kube} Kubernetes requests`,
  );
  console.log(
    `  viewer read (LIST): ${listed.kube} Kubernetes requests, 0 registry requests; ${listed.workloads} workloads, ${listed.ready} ready`,
  );
  console.log(
    `  with the controller's cache (${cacheStart} requests to start its watches once): viewer read ${cachedView.kube} Kubernetes requests; scheduled run ${cachedRun.kube} Kubernetes and ${cachedRun.registry} registry requests`,
  );
  setControllerSignals(null);
  cache.stop();
  await registry.stop();
  await pki.remove();
  await database.close();
  kube.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

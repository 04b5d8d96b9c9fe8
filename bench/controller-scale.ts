// Controller scale bench (issue 10): Regcred's Controller running in this process against a kube-apiserver of
// the bench's own, once on PGlite and once on PostgreSQL, each figure beside the machine's load average and a
// baseline measured in the same run. Run it with bench/controller-scale.sh (README "Benchmarks").
//
// Per database, on a fresh kube-apiserver with BENCH_NAMESPACES (1,000) consuming namespaces (each with a
// default ServiceAccount and a Deployment using an ECR image and a harbor-fan image):
//   0. baselines first, by a bare @kubernetes/client-node client: fan-out (create the secret + merge-patch the
//      default ServiceAccount in every namespace, at the controller's concurrency; run again once the controller
//      has stopped) and Deployment → secret latency of a minimal watch-and-write reactor;
//   1. Deployment → secret latency (p50, p99) in fresh consuming namespaces, timed by the bench's own watch;
//   2. API requests per new consuming namespace and LISTs during pod churn, counted at the API server's /metrics;
//   3. fan-out of a new registry to every consuming namespace (secrets present + ServiceAccounts wired);
//   4. ECR GetAuthorizationToken calls per refresh cycle, counted by a proxy in front of moto.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { AppsV1Api, CoreV1Api, KubeConfig, loadYaml } from "@kubernetes/client-node";
import postgres from "postgres";
import { type Database, openDatabase } from "@/db/client";
import { findClusterRow } from "@/lib/clusters/repo";
import { createCluster } from "@/lib/clusters/service";
import type { Clock } from "@/lib/controller/manager";
import { startController, stopController } from "@/lib/controller/runtime";
import type { Ctx } from "@/lib/context";
import { createKeyring } from "@/lib/crypto/secret-box";
import { createRegistry } from "@/lib/registries/service";
import { actorFor, createOrg } from "@/test/helpers/db";
import { type KubeEnv, startOwnKube } from "@/test/helpers/kube";
import { ensureMoto, setupEcrIdentities, startEcrTokenProxy } from "@/test/peers";
import { bareFanOut, pool, pullSecret, startBareReactor } from "./controller-bare";
import { ClusterView } from "./controller-watch";
import { apiServerAccess, loadAverage, percentile, requestCounts, requestDelta } from "./lib/apiserver-metrics";

const num = (name: string, fallback: number) => {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number, not ${v}`);
  return n;
};
const N = num("BENCH_NAMESPACES", 1000);
const LATENCY_SAMPLES = num("BENCH_LATENCY_SAMPLES", 50);
const LATENCY_BUDGET_MS = num("BENCH_LATENCY_BUDGET_S", 120) * 1000;
const BARE_LATENCY_SAMPLES = Math.min(20, LATENCY_SAMPLES);
const REQUEST_SAMPLES = num("BENCH_REQUEST_SAMPLES", 5);
const CHURN_MS = num("BENCH_CHURN_SECONDS", 60) * 1000;
const CHURN_WARMUP_MS = num("BENCH_CHURN_WARMUP_SECONDS", 5) * 1000;
const CHURN_RATE = num("BENCH_CHURN_RATE", 50);
/** The controller's write concurrency (its default is 8); the bare client uses the same. */
const CONCURRENCY = num("BENCH_CONCURRENCY", 8);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "pglite,postgresql").split(",").filter(Boolean);
const SETTLE_MS = 2_000;
const CONTROL_MS = Math.min(5_000, CHURN_MS);

const ECR_HOST = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const ECR_IMAGE = `${ECR_HOST}/team/web:1`;
const FAN_HOST = "harbor-fan.example.com";
const FAN_IMAGE = `${FAN_HOST}/team/api:1`;
const SELECTED = { "regcred-bench": "on" };

const write = (s: string) => fs.writeSync(1, `${s}\n`);
const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : "n/a");
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const pad = (i: number) => String(i).padStart(4, "0");

type Figure = { name: string; value: string; baseline: string; ratio: string; target: string; load: string };

// ---- shared peers: moto (behind a counting proxy) -----------------------------------------------------------

let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
const moto = await ensureMoto();
const ids = await setupEcrIdentities(moto.url);
const proxy = await startEcrTokenProxy({ target: moto.url });
proxy.now = clock.now;

const figures = new Map<string, Figure[]>();
try {
  for (const backend of BACKENDS) figures.set(backend, await runOn(backend));
} finally {
  await proxy.close();
  await moto.stop();
}
summary();
process.exit(0);

// ---- one database -----------------------------------------------------------------------------------------

async function openBackend(backend: string): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (backend === "pglite") return { database: await openDatabase({}), drop: async () => {} };
  if (backend !== "postgresql") throw new Error(`BENCH_BACKENDS: unknown backend ${backend}`);
  const admin = process.env.PG_ADMIN_URL;
  if (!admin) throw new Error("PG_ADMIN_URL is not set: bench/controller-scale.sh starts PostgreSQL and sets it");
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  const name = `regcred_bench_${randomBytes(4).toString("hex")}`;
  await sql.unsafe(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  return {
    database,
    drop: async () => {
      await sql.unsafe(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await sql.end();
    },
  };
}

async function runOn(backend: string): Promise<Figure[]> {
  const out: Figure[] = [];
  const record = (f: Omit<Figure, "load">) => {
    const fig = { ...f, load: loadAverage() };
    out.push(fig);
    write(
      `  ${fig.name}: ${fig.value}  (baseline ${fig.baseline}, ratio ${fig.ratio}, target ${fig.target}; load ${fig.load})`,
    );
  };
  write(`\n== ${backend}: starting a kube-apiserver of the bench's own, ${N} consuming namespaces`);
  const kube = startOwnKube();
  const { database, drop } = await openBackend(backend);
  const view = new ClusterView(kubeConfig(kube.env));
  try {
    const kc = kubeConfig(kube.env);
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const access = apiServerAccess(kube.env as unknown as Record<string, string>);
    write(`  kube-apiserver ${kube.env.KUBE_VERSION} at ${kube.env.KUBE_API_URL}; load ${loadAverage()}`);

    // -- the cluster's namespaces
    const consuming = Array.from({ length: N }, (_, i) => `c-${pad(i)}`);
    const latencyNs = Array.from({ length: LATENCY_SAMPLES }, (_, i) => `lat-${pad(i)}`);
    const bareLatencyNs = Array.from({ length: BARE_LATENCY_SAMPLES }, (_, i) => `bare-lat-${pad(i)}`);
    const t0 = performance.now();
    await namespace(core, "regcred-home", {});
    await pool(consuming, 24, async (ns) => {
      await namespace(core, ns, SELECTED);
      await deployment(apps, ns, "web", [ECR_IMAGE, FAN_IMAGE]);
    });
    await pool(latencyNs, 16, (ns) => namespace(core, ns, SELECTED));
    await pool(bareLatencyNs, 16, (ns) => namespace(core, ns, {}));
    write(`  created ${N + LATENCY_SAMPLES + BARE_LATENCY_SAMPLES + 1} namespaces in ${ms(performance.now() - t0)}`);
    await view.start();

    // -- baselines: the bare client
    const bareSecret = pullSecret("bare-fan", FAN_HOST);
    let t = performance.now();
    await bareFanOut(core, consuming, CONCURRENCY, bareSecret);
    const bareFanMs = (await view.whenPresent(consuming, "bare-fan", true, 600_000)) - t;
    write(
      `  bare client: fan-out to ${N} namespaces at concurrency ${CONCURRENCY}: ${ms(bareFanMs)}; load ${loadAverage()}`,
    );
    const reactor = await startBareReactor(kc, core, "regcred-bench/bare=1", pullSecret("bare-latency", ECR_HOST));
    const bareLatency: number[] = [];
    for (const ns of bareLatencyNs) {
      t = performance.now();
      await deployment(apps, ns, "web", [ECR_IMAGE], { "regcred-bench/bare": "1" });
      bareLatency.push((await view.whenPresent([ns], "bare-latency", false, 30_000)) - t);
      await sleep(100);
    }
    reactor.stop();
    // What the API server itself requests during pod churn with no controller running (its LimitRanger admission
    // LISTs limitranges on pod creation): those keys are not the controller's, and are left out of its figures.
    const control = startChurn(core, consuming);
    const controlBefore = await requestCounts(access);
    await sleep(CONTROL_MS);
    const controlDelta = requestDelta(controlBefore, await requestCounts(access));
    await control.stop();
    const apiServerOwn = new Set(Object.keys(controlDelta.byKey).filter((k) => k.startsWith("LIST ")));
    write(
      `  the API server's own LISTs during ${CONTROL_MS / 1000} s of pod churn, no controller: ${describeKeys(pick(controlDelta.byKey, apiServerOwn))}; load ${loadAverage()}`,
    );
    write(
      `  bare reactor: Deployment → secret p50 ${ms(percentile(bareLatency, 50))}, p99 ${ms(percentile(bareLatency, 99))} (${bareLatency.length} samples, ${reactor.errors()} errors); load ${loadAverage()}`,
    );

    // -- Regcred: an org, the cluster (selecting the consuming namespaces), an ECR registry; then the controller
    const keyring = createKeyring(randomBytes(32));
    const orgId = await createOrg(database.db, "bench");
    const ctx: Ctx = { db: database.db, keyring, actor: actorFor(orgId, "admin", "bench") };
    const created = await createCluster(ctx, {
      name: "bench",
      kubeconfig: kubeconfigIn(kube.env, "regcred-home"),
      namespace_selector: "regcred-bench=on",
    });
    const cluster = (await findClusterRow(database.db, orgId, created.id))!;
    await createRegistry(ctx, {
      id: "ecr",
      registry: ECR_HOST,
      type: "amazon_ecr",
      creds: { username: ids.ecrUser.accessKeyId, password: ids.ecrUser.secretAccessKey },
    });
    const mints0 = proxy.mints();
    t = performance.now();
    await startController(database.db, keyring, {
      force: true,
      overrides: {
        instanceId: `bench-${backend}-${randomBytes(3).toString("hex")}`,
        clusterFilter: (row) => row.id === cluster.id,
        clock,
        resyncMs: 3_600_000,
        gracePeriodMs: 3_600_000,
        leaseDurationMs: 15_000,
        timeoutMs: 20_000,
        ecrEndpoint: proxy.url,
        concurrency: CONCURRENCY,
      },
    });
    try {
      const firstSyncMs = (await view.whenPresent(consuming, "regcred-ecr", true, 900_000)) - t;
      record({
        name: `first sync, ${N} namespaces (controller start → all secrets + ServiceAccounts)`,
        value: ms(firstSyncMs),
        baseline: `bare ${ms(bareFanMs)}`,
        ratio: ratio(firstSyncMs, bareFanMs),
        target: "-",
      });
      write(`  GetAuthorizationToken calls during the first sync: ${proxy.mints() - mints0}`);
      await sleep(SETTLE_MS);

      // 1. Deployment → secret latency
      const latency: number[] = [];
      const latencyStart = performance.now();
      for (const ns of latencyNs) {
        if (performance.now() - latencyStart > LATENCY_BUDGET_MS) break;
        t = performance.now();
        await deployment(apps, ns, "web", [ECR_IMAGE]);
        latency.push((await view.whenPresent([ns], "regcred-ecr", false, 60_000)) - t);
        await sleep(100);
      }
      const bareP50 = percentile(bareLatency, 50);
      const bareP99 = percentile(bareLatency, 99);
      const latencyNote =
        latency.length < latencyNs.length ? `, stopped at the ${LATENCY_BUDGET_MS / 1000} s budget` : "";
      record({
        name: `Deployment → secret p50, ${N} namespaces (${latency.length} samples${latencyNote})`,
        value: ms(percentile(latency, 50)),
        baseline: `bare reactor ${ms(bareP50)}`,
        ratio: ratio(percentile(latency, 50), bareP50),
        target: "≤ 200 ms",
      });
      record({
        name: `Deployment → secret p99`,
        value: ms(percentile(latency, 99)),
        baseline: `bare reactor ${ms(bareP99)}`,
        ratio: ratio(percentile(latency, 99), bareP99),
        target: "≤ 1 s",
      });
      await sleep(SETTLE_MS);

      // 2a. API requests per new consuming namespace
      const perNs: number[] = [];
      const byKey: Record<string, number> = {};
      let leaseRequests = 0;
      for (let i = 0; i < REQUEST_SAMPLES; i++) {
        const ns = `req-${pad(i)}`;
        const before = await requestCounts(access);
        await namespace(core, ns, SELECTED);
        await deployment(apps, ns, "web", [ECR_IMAGE]);
        await view.whenPresent([ns], "regcred-ecr", true, 60_000);
        await sleep(SETTLE_MS);
        const d = requestDelta(before, await requestCounts(access));
        const own = controllerRequests(d.byKey, {
          "POST namespaces": 1,
          "POST serviceaccounts": 1,
          "POST deployments": 1,
        });
        perNs.push(own.total);
        leaseRequests += own.leases;
        for (const [k, v] of Object.entries(own.byKey)) byKey[k] = (byKey[k] ?? 0) + v;
      }
      const meanPerNs = perNs.reduce((a, b) => a + b, 0) / Math.max(1, perNs.length);
      record({
        name: `API requests per new consuming namespace (mean of ${perNs.length}: ${perNs.join(", ")})`,
        value: meanPerNs.toFixed(1),
        baseline: "bare client 2",
        ratio: ratio(meanPerNs, 2),
        target: "≤ 3",
      });
      write(`      by verb and resource, over all ${perNs.length}: ${describeKeys(byKey)}`);
      write(`      (Lease requests in the same windows, not counted above: ${leaseRequests})`);

      // 2b. LISTs during pod churn
      const churn = startChurn(core, consuming);
      await sleep(CHURN_WARMUP_MS);
      const before = await requestCounts(access);
      const churnStart = churn.events();
      const churnT0 = performance.now();
      await sleep(CHURN_MS);
      const churnDelta = requestDelta(before, await requestCounts(access));
      const rate = (churn.events() - churnStart) / ((performance.now() - churnT0) / 1000);
      await churn.stop();
      const churnOwn = controllerRequests(
        churnDelta.byKey,
        { "POST pods": churnDelta.byKey["POST pods"] ?? 0, "DELETE pods": churnDelta.byKey["DELETE pods"] ?? 0 },
        apiServerOwn,
      );
      const churnLists = Object.entries(churnOwn.byKey)
        .filter(([k]) => k.startsWith("LIST "))
        .reduce((n, [, v]) => n + v, 0);
      record({
        name: `LISTs during ${CHURN_MS / 1000} s of pod churn (at ${rate.toFixed(1)} events/s, after ${CHURN_WARMUP_MS / 1000} s warm-up)`,
        value: String(churnLists),
        baseline: "bare client 0",
        ratio: "n/a",
        target: "0",
      });
      write(
        `      all controller requests in that time: ${churnOwn.total} (${describeKeys(churnOwn.byKey)}); Lease: ${churnOwn.leases}; churn errors: ${churn.errors()}`,
      );
      write(
        `      left out, the API server's own (as in the control churn): ${describeKeys(pick(churnDelta.byKey, apiServerOwn))}`,
      );
      await sleep(SETTLE_MS);

      // 3. fan-out of a new registry
      t = performance.now();
      await createRegistry(ctx, {
        id: "fan",
        registry: FAN_HOST,
        type: "basic",
        creds: { username: "bench", password: "not-a-real-password" },
      });
      const fanSecretsMs = (await view.whenPresent(consuming, "regcred-fan", false, 900_000)) - t;
      const fanMs = (await view.whenPresent(consuming, "regcred-fan", true, 900_000)) - t;
      write(
        `  fan-out of a new registry: all secrets ${ms(fanSecretsMs)}, and ServiceAccounts ${ms(fanMs)}; load ${loadAverage()} (figure below, after the second bare run)`,
      );
      await sleep(SETTLE_MS);

      // 4. ECR refresh cycle: 10 h later (the token lives 12 h; refreshed at 75 %)
      const ecrNs = [...consuming, ...latencyNs.filter((ns) => view.hasSecret(ns, "regcred-ecr"))];
      for (let i = 0; i < REQUEST_SAMPLES; i++) ecrNs.push(`req-${pad(i)}`);
      const mints1 = proxy.mints();
      t = performance.now();
      offsetMs += 10 * 3_600_000;
      const refreshedMs =
        (await view.whenAll(
          ecrNs,
          (ns) => (view.changedAt(ns, "regcred-ecr") ?? 0) > t,
          600_000,
          `regcred-ecr rewritten in ${ecrNs.length} namespaces`,
        )) - t;
      await sleep(SETTLE_MS);
      const mints = proxy.mints() - mints1;
      record({
        name: `ECR GetAuthorizationToken calls per refresh cycle (1 registry, ${ecrNs.length} namespaces rewritten in ${ms(refreshedMs)})`,
        value: String(mints),
        baseline: "1 per registry",
        ratio: ratio(mints, 1),
        target: "1",
      });
      await stopController();

      // The bare fan-out again, with the controller stopped (it would undo these patches): the fan-out's
      // baseline is the mean of the two bare runs, one before the controller started and one after it stopped.
      t = performance.now();
      await bareFanOut(core, consuming, CONCURRENCY, pullSecret("bare-fan-2", FAN_HOST));
      const bareFan2Ms = (await view.whenPresent(consuming, "bare-fan-2", true, 600_000)) - t;
      write(`  bare client again: fan-out to ${N} namespaces: ${ms(bareFan2Ms)}; load ${loadAverage()}`);
      const bareMean = (bareFanMs + bareFan2Ms) / 2;
      record({
        name: `fan-out of a new registry to ${N} namespaces (createRegistry → all secrets + ServiceAccounts; secrets alone ${ms(fanSecretsMs)})`,
        value: ms(fanMs),
        baseline: `bare client ${ms(bareMean)} (${ms(bareFanMs)} before, ${ms(bareFan2Ms)} after) at concurrency ${CONCURRENCY}`,
        ratio: ratio(fanMs, bareMean),
        target: "≤ 1.30×",
      });
    } finally {
      await stopController();
    }
  } finally {
    view.stop();
    await database.close();
    await drop();
    kube.stop();
  }
  return out;
}

// ---- helpers ----------------------------------------------------------------------------------------------

function kubeConfig(env: KubeEnv): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(env.KUBECONFIG_ADMIN);
  return kc;
}

/** The admin kubeconfig with the home namespace (where the controller's Lease lives) as its context's. */
function kubeconfigIn(env: KubeEnv, home: string): string {
  const doc = loadYaml<{ contexts: Array<{ context: Record<string, unknown> }> }>(
    fs.readFileSync(env.KUBECONFIG_ADMIN, "utf8"),
  );
  for (const c of doc.contexts) c.context.namespace = home;
  return JSON.stringify(doc);
}

async function namespace(core: CoreV1Api, name: string, labels: Record<string, string>): Promise<void> {
  await core.createNamespace({ body: { metadata: { name, labels } } });
  // No controller-manager here: the default ServiceAccount is made by hand, as a cluster would have it.
  await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: "default" } } });
}

async function deployment(
  apps: AppsV1Api,
  namespace: string,
  name: string,
  images: string[],
  labels: Record<string, string> = {},
): Promise<void> {
  await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name, labels },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
        },
      },
    },
  });
}

/**
 * The controller's share of a /metrics delta: minus the bench's own requests (given), its /metrics scrape and
 * the API server's own requests (`apiServer` keys); Lease requests counted apart.
 */
function controllerRequests(
  byKey: Record<string, number>,
  bench: Record<string, number>,
  apiServer: ReadonlySet<string> = new Set(),
) {
  const out: Record<string, number> = {};
  let total = 0;
  let leases = 0;
  for (const [k, v] of Object.entries(byKey)) {
    const [verb, resource = ""] = k.split(" ");
    if (resource === "" || apiServer.has(k)) continue; // non-resource: the bench's GET /metrics
    const n = v - (bench[k] ?? 0);
    if (n <= 0) continue;
    if (resource === "leases") {
      leases += n;
      continue;
    }
    out[`${verb} ${resource}`] = n;
    total += n;
  }
  return { total, leases, byKey: out };
}

function pick(byKey: Record<string, number>, keys: ReadonlySet<string>): Record<string, number> {
  return Object.fromEntries(Object.entries(byKey).filter(([k]) => keys.has(k)));
}

function describeKeys(byKey: Record<string, number>): string {
  const e = Object.entries(byKey).sort(([a], [b]) => a.localeCompare(b));
  return e.length === 0 ? "none" : e.map(([k, v]) => `${v} × ${k}`).join(", ");
}

/** Creates and deletes Pods (the registry's image) in random consuming namespaces at CHURN_RATE events/s. */
function startChurn(core: CoreV1Api, namespaces: readonly string[]) {
  const alive: Array<{ ns: string; name: string }> = [];
  let events = 0;
  let errors = 0;
  let inflight = 0;
  let serial = 0;
  const started = performance.now();
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    inflight += 1;
    const q = p
      .then(() => (events += 1))
      .catch(() => (errors += 1))
      .finally(() => {
        inflight -= 1;
        pending.delete(q);
      });
    pending.add(q);
  };
  const step = () => {
    const due = Math.floor(((performance.now() - started) / 1000) * CHURN_RATE) - (events + errors + inflight);
    for (let i = 0; i < due && inflight < 100; i++) {
      // Keep about one second's worth of Pods alive: create while fewer, else delete the oldest.
      if (alive.length < CHURN_RATE / 2) {
        const ns = namespaces[Math.floor(Math.random() * namespaces.length)]!;
        const name = `churn-${serial++}`;
        track(
          core
            .createNamespacedPod({
              namespace: ns,
              body: { metadata: { name }, spec: { containers: [{ name: "c0", image: ECR_IMAGE }] } },
            })
            .then(() => alive.push({ ns, name })),
        );
      } else {
        const pod = alive.shift()!;
        track(core.deleteNamespacedPod({ namespace: pod.ns, name: pod.name, gracePeriodSeconds: 0 }));
      }
    }
  };
  const timer = setInterval(step, 10);
  return {
    events: () => events,
    errors: () => errors,
    stop: async () => {
      clearInterval(timer);
      await Promise.all(pending);
      await pool(alive.splice(0), 16, (p) =>
        core.deleteNamespacedPod({ namespace: p.ns, name: p.name, gracePeriodSeconds: 0 }).catch(() => undefined),
      );
    },
  };
}

function summary(): void {
  const backends = [...figures.keys()];
  write(`\n== controller-scale summary (${N} namespaces, concurrency ${CONCURRENCY}, ${os.cpus().length} cores)`);
  const rows = figures.get(backends[0]!) ?? [];
  rows.forEach((row, i) => {
    write(`  ${row.name.replace(/ \(.*$/, "")}   [target ${row.target}]`);
    for (const b of backends) {
      const f = figures.get(b)?.[i];
      if (f)
        write(
          `    ${b.padEnd(10)} ${f.value.padStart(8)}   baseline ${f.baseline}   ratio ${f.ratio}   load ${f.load}`,
        );
    }
  });
}

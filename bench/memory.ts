// Resident memory (RSS) of Regcred's processes, against a bare `node -e` process measured in the same run. Run:
//   bench/memory.sh
// Measures (a) the dashboard (`next start`, in-process controller) idle on PGlite, first start and restart, and on
// PostgreSQL; (b) the dashboard on PGlite holding a cluster with BENCH_SECRETS (default 5,000) dockerconfigjson
// secrets across BENCH_NAMESPACES (default 100) namespaces, a registry and one Deployment per namespace; (c) the
// standalone controller (scripts/controller.sh, PostgreSQL) idle and holding the same cluster. Every figure is the
// median RSS of the last samples once it has settled (5 samples a second apart within 2 MB, after BENCH_SETTLE_SECONDS).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppsV1Api, CoreV1Api, KubeConfig, loadYaml } from "@kubernetes/client-node";
import { openDatabase } from "@/db/client";
import { orgs } from "@/db/schema";
import { createCluster } from "@/lib/clusters/service";
import { createKeyring, decodeKey } from "@/lib/crypto/secret-box";
import { createRegistry } from "@/lib/registries/service";
import { loadAverage } from "@/bench/lib/apiserver-metrics";
import { benchDatabaseUrl } from "@/bench/lib/postgres";
import { freePort } from "@/e2e/own-server";
import { startOwnKube } from "@/test/helpers/kube";
import { largestMappings, residentSplit, summariseHeapSnapshot } from "@/bench/lib/heap-summary";

const root = path.resolve(import.meta.dirname, "..");
const NAMESPACES = Number(process.env.BENCH_NAMESPACES ?? 100);
const SECRETS = Number(process.env.BENCH_SECRETS ?? 5000);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_SECONDS ?? 20) * 1000;
/** `loaded`: only the bare baseline and the two processes holding the cluster (skips the idle cases). */
const ONLY = process.env.BENCH_ONLY;
/** A directory: the processes holding the cluster write a heap snapshot there once settled, summarised on stderr. */
const SNAPSHOTS = process.env.BENCH_HEAP_SNAPSHOT ? path.resolve(process.env.BENCH_HEAP_SNAPSHOT) : undefined;
const HOST = "registry.bench.example";
const run = randomBytes(3).toString("hex");
const key = randomBytes(32).toString("hex");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-memory-"));
// PostgreSQL (started here when PG_ADMIN_URL is not set) runs as its own user and keeps its data under this directory.
fs.chmodSync(work, 0o755);
const node = path.join(root, "node_modules/.bin/node");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Row = { label: string; mb: number; load: string; target?: number };
const rows: Row[] = [];
const started: ChildProcess[] = [];
const cleanups: Array<() => void | Promise<void>> = [];

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

/** Waits SETTLE_MS, then until five samples a second apart lie within 2 MB (at most 60 s more); their median. */
async function settledRss(child: ChildProcess): Promise<number> {
  await sleep(SETTLE_MS);
  const samples: number[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process ${child.pid} exited (${child.exitCode}) while measuring`);
    samples.push(rssMb(child.pid!));
    const last = samples.slice(-5);
    if (last.length === 5 && (Math.max(...last) - Math.min(...last) <= 2 || Date.now() > deadline)) {
      return [...last].sort((a, b) => a - b)[2]!;
    }
    await sleep(1000);
  }
}

function record(label: string, mb: number, target?: number): void {
  rows.push({ label, mb, load: loadAverage(), target });
  process.stderr.write(`  ${label}: ${mb.toFixed(0)} MB (load ${loadAverage()})\n`);
}

/** Where a settled process's memory goes: resident split, largest mappings, and a heap snapshot by kind. */
async function profile(label: string, child: ChildProcess): Promise<void> {
  if (!SNAPSHOTS) return;
  const pid = child.pid!;
  const split = residentSplit(pid);
  const mb = (n: number) => `${n.toFixed(1)} MB`;
  process.stderr.write(
    `  ${label}: RSS ${mb(split.rssMb)} = anonymous ${mb(split.anonMb)} + file-backed ${mb(split.fileMb)}\n`,
  );
  for (const m of largestMappings(pid)) process.stderr.write(`    ${mb(m.rssMb).padStart(9)}  ${m.mapping}\n`);
  const before = new Set(fs.readdirSync(SNAPSHOTS));
  process.kill(pid, "SIGUSR2");
  // Written while the process is paused; complete once it parses.
  let summary: ReturnType<typeof summariseHeapSnapshot> | undefined;
  let file = "";
  for (const deadline = Date.now() + 180_000; !summary && Date.now() < deadline; await sleep(2000)) {
    const fresh = fs.readdirSync(SNAPSHOTS).find((f) => f.endsWith(".heapsnapshot") && !before.has(f));
    if (!fresh) continue;
    file = path.join(SNAPSHOTS, fresh);
    try {
      summary = summariseHeapSnapshot(file);
    } catch {
      // still being written
    }
  }
  if (!summary) throw new Error(`${label}: no complete heap snapshot appeared in ${SNAPSHOTS}`);
  const { total, rows } = summary;
  process.stderr.write(`    heap snapshot ${file}: ${mb(total / 1048576)} live in V8's heap; largest kinds:\n`);
  for (const r of rows) {
    process.stderr.write(`    ${mb(r.bytes / 1048576).padStart(9)}  ${String(r.count).padStart(8)}×  ${r.kind}\n`);
  }
}

/** Spawns a process with its output in a log file; resolves once `ready` appears in it. */
async function launch(name: string, cmd: string, args: string[], env: Record<string, string>, ready: string) {
  const logFile = path.join(work, `${name}.log`);
  const out = fs.openSync(logFile, "a");
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", out, out] });
  started.push(child);
  const deadline = Date.now() + 180_000;
  while (!fs.readFileSync(logFile, "utf8").includes(ready)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`${name} did not start:\n${fs.readFileSync(logFile, "utf8").slice(-2000)}`);
    }
    await sleep(200);
  }
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(15_000).then(() => child.kill("SIGKILL"))]);
}

// Info level: readiness is read from the "regcred started" / "controller started" lines.
const common = {
  LOG_LEVEL: "info",
  REGCRED_ENCRYPTION_KEY: key,
  REGCRED_ADMIN_PASSWORD: "bench-memory-password",
  REGCRED_WEBHOOK_PORT: "0",
  REGCRED_EGRESS_ALLOW_LOOPBACK: "true",
};

async function dashboard(env: Record<string, string>) {
  return launch(
    "dashboard",
    node,
    // As `npm start` runs it (package.json): PGlite's WASM code stays on V8's baseline compiler, and a 1 MB
    // young generation (V8's default grows it to 16 MB per semi-space, which stays resident once grown).
    [
      "--liftoff-only",
      "--max-semi-space-size=1",
      path.join(root, "node_modules/.bin/next"),
      "start",
      "-H",
      "127.0.0.1",
      "-p",
      String(await freePort()),
    ],
    { ...common, ...env },
    "regcred started",
  );
}

function controller(env: Record<string, string>) {
  return launch(
    "controller",
    path.join(root, "scripts/controller.sh"),
    [],
    { ...common, ...env },
    "controller started",
  );
}

// --- the cluster: own kube-apiserver, namespaces, secrets, one Deployment per namespace
async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function fillCluster(kc: KubeConfig, selector: string, spaces: string[]): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const [k, v] = selector.split("=") as [string, string];
  await pool(spaces, 8, async (name) => {
    await core.createNamespace({ body: { metadata: { name, labels: { [k]: v } } } });
    await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: "default" } } });
  });
  const dockerconfig = (i: number) =>
    Buffer.from(
      JSON.stringify({ auths: { [`other-${i}.example`]: { auth: randomBytes(24).toString("base64") } } }),
    ).toString("base64");
  const secrets = Array.from({ length: SECRETS }, (_, i) => i);
  await pool(secrets, 16, (i) =>
    core.createNamespacedSecret({
      namespace: spaces[i % spaces.length]!,
      body: {
        metadata: {
          name: `regcred-other-${i}`,
          labels: { "app.kubernetes.io/managed-by": "regcred", "regcred.dev/registry": `other-${i}` },
        },
        type: "kubernetes.io/dockerconfigjson",
        data: { ".dockerconfigjson": dockerconfig(i) },
      },
    }),
  );
}

async function addWorkloads(kc: KubeConfig, spaces: string[], image: string): Promise<void> {
  const apps = kc.makeApiClient(AppsV1Api);
  await pool(spaces, 8, (namespace) =>
    apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: `web-${image.split("/").pop()!.split(":")[0]}` },
        spec: {
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: { containers: [{ name: "web", image }] },
          },
        },
      },
    }),
  );
}

async function waitManaged(kc: KubeConfig, registryId: string, spaces: string[]): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const wanted = new Set(spaces);
  const deadline = Date.now() + 600_000;
  for (;;) {
    const listed = await core.listSecretForAllNamespaces({ labelSelector: `regcred.dev/registry=${registryId}` });
    const have = listed.items.filter((s) => wanted.has(s.metadata?.namespace ?? "")).length;
    if (have === spaces.length) return;
    if (Date.now() > deadline) throw new Error(`only ${have} of ${spaces.length} managed secrets appeared`);
    await sleep(500);
  }
}

/** Adds an org with a basic registry for HOST and the cluster (scoped to `selector`) to a database. */
async function seed(
  opts: { url?: string; dataDir?: string },
  kubeconfig: string,
  registryId: string,
  selector: string,
) {
  const database = await openDatabase(opts);
  try {
    const orgId = `bench-${run}`;
    await database.db.insert(orgs).values({ id: orgId, name: orgId });
    const ctx = {
      db: database.db,
      keyring: createKeyring(decodeKey(key)),
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
      id: registryId,
      registry: HOST,
      type: "basic",
      creds: { username: "bench", password: randomBytes(12).toString("hex") },
    });
    await createCluster(ctx, { name: `bench-${registryId}`, kubeconfig, namespace_selector: selector });
  } finally {
    await database.close();
  }
}

/** The idle cases: the dashboard on PGlite (first start, restart) and on PostgreSQL, the standalone controller. */
async function idleCases(pgUrl: string, dataDir: string): Promise<void> {
  let d = await dashboard({ REGCRED_DATA_DIR: dataDir });
  record("dashboard idle, PGlite, first start", await settledRss(d), 200);
  await stop(d);
  d = await dashboard({ REGCRED_DATA_DIR: dataDir });
  record("dashboard idle, PGlite, restart", await settledRss(d), 200);
  await stop(d);
  d = await dashboard({ DATABASE_URL: pgUrl });
  record("dashboard idle, PostgreSQL", await settledRss(d), 200);
  await stop(d);
  const c = await controller({ DATABASE_URL: pgUrl, REGCRED_DATA_DIR: path.join(work, "controller") });
  record("controller idle, PostgreSQL", await settledRss(c), 120);
  await stop(c);
}

async function main(): Promise<void> {
  process.stderr.write(`memory bench: work dir ${work}\n`);
  const bare = await launch("bare-node", node, ["-e", "console.log('up'); setInterval(() => {}, 1 << 30)"], {}, "up");
  record("bare node (node -e)", await settledRss(bare));
  await stop(bare);

  const pgUrl = await benchDatabaseUrl(work, `regcred_memory_${run}`, cleanups);
  const dataDir = path.join(work, "data");
  if (SNAPSHOTS) fs.mkdirSync(SNAPSHOTS, { recursive: true });
  const snapshotEnv: Record<string, string> = SNAPSHOTS
    ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${SNAPSHOTS}` }
    : {};

  if (ONLY !== "loaded") await idleCases(pgUrl, dataDir);

  process.stderr.write(`  starting a kube-apiserver; ${SECRETS} secrets in ${NAMESPACES} namespaces…\n`);
  const kube = startOwnKube();
  cleanups.push(() => kube.stop());
  const kc = new KubeConfig();
  kc.loadFromFile(kube.env.KUBECONFIG_ADMIN);
  const selector = `regcred-memory=${run}`;
  const spaces = Array.from({ length: NAMESPACES }, (_, i) => `mem-${run}-${i}`);
  await fillCluster(kc, selector, spaces);
  const doc = loadYaml<{ contexts: Array<{ context: Record<string, unknown> }> }>(
    fs.readFileSync(kube.env.KUBECONFIG_ADMIN, "utf8"),
  );
  for (const ctx of doc.contexts) ctx.context.namespace = spaces[0];
  const kubeconfig = JSON.stringify(doc);

  await seed({ dataDir }, kubeconfig, "bench-dash", selector);
  await addWorkloads(kc, spaces, `${HOST}/team/dash:1`);
  const d = await dashboard({ REGCRED_DATA_DIR: dataDir, ...snapshotEnv });
  await waitManaged(kc, "bench-dash", spaces);
  record(`dashboard, PGlite, ${SECRETS.toLocaleString("en")} secrets`, await settledRss(d), 250);
  await profile("dashboard holding the cluster", d);
  await stop(d);

  await seed({ url: pgUrl }, kubeconfig, "bench-ctl", selector);
  await addWorkloads(kc, spaces, `${HOST}/team/ctl:1`);
  const c2 = await controller({
    DATABASE_URL: pgUrl,
    REGCRED_DATA_DIR: path.join(work, "controller"),
    ...snapshotEnv,
  });
  await waitManaged(kc, "bench-ctl", spaces);
  record(`controller, PostgreSQL, ${SECRETS.toLocaleString("en")} secrets`, await settledRss(c2), 250);
  await profile("controller holding the cluster", c2);
  await stop(c2);

  const base = rows[0]!.mb;
  const w = Math.max(...rows.map((r) => r.label.length));
  console.log(`\nResident memory (RSS, settled), ${os.cpus().length} cores; ratio against a bare node process`);
  console.log(
    `${"process".padEnd(w)}  ${"RSS".padStart(7)}  ${"× node".padStart(7)}  ${"target".padStart(7)}  load average`,
  );
  for (const r of rows) {
    const target = r.target ? `${r.target} MB` : "";
    console.log(
      `${r.label.padEnd(w)}  ${`${r.mb.toFixed(0)} MB`.padStart(7)}  ${(r.mb / base).toFixed(2).padStart(7)}  ${target.padStart(7)}  ${r.load}`,
    );
  }
}

try {
  await main();
} finally {
  for (const child of started) await stop(child);
  for (const c of cleanups.reverse()) await c();
  fs.rmSync(work, { recursive: true, force: true });
}

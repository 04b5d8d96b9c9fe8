// Regcred's side: its Controller (lib/controller/controller.ts) in this process, fed the way the dashboard feeds
// it (the in-process signals of lib/controller/runtime.ts), on PGlite or PostgreSQL; and, for resident memory,
// scripts/controller.sh as a process of its own taking the same cluster over.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { AppsV1Api, type KubeConfig, loadYaml } from "@kubernetes/client-node";
import { eq } from "drizzle-orm";
import { type Database, openDatabase } from "@/db/client";
import { orgs, syncRuns } from "@/db/schema";
import { createCluster } from "@/lib/clusters/service";
import { Controller } from "@/lib/controller/controller";
import { createKeyring } from "@/lib/crypto/secret-box";
import { createRegistry } from "@/lib/registries/service";
import { requestSync } from "@/lib/sync/service";
import { setControllerSignals } from "@/lib/sync/signal";
import { pool, sleep } from "./kube";

export const ECR_HOST = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
export const COPY_HOST = "registry.eso-bench.example";

export type Backend = "pglite" | "postgresql";

/** A database for one case: PGlite in memory, or a fresh PostgreSQL database (so a standalone controller sees only this case). */
export async function openCaseDatabase(backend: Backend, name: string): Promise<{ database: Database; url?: string }> {
  if (backend === "pglite") return { database: await openDatabase({}) };
  const admin = process.env.PG_ADMIN_URL;
  const base = process.env.DATABASE_URL_TEST;
  if (!admin || !base)
    throw new Error("PG_ADMIN_URL and DATABASE_URL_TEST are needed (bench/eso/compare.sh starts PostgreSQL)");
  const { default: postgres } = await import("postgres");
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  const owner = new URL(base).username;
  await sql.unsafe(`CREATE DATABASE "${name}" OWNER "${owner}"`);
  await sql.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { database: await openDatabase({ url: url.toString() }), url: url.toString() };
}

/** One Deployment per namespace, pulling from `host` (what makes a namespace consume a registry). */
export async function deployments(kc: KubeConfig, namespaces: readonly string[], host: string): Promise<void> {
  const apps = kc.makeApiClient(AppsV1Api);
  await pool(namespaces, 32, async (namespace) => {
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: "web" },
        spec: {
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: { containers: [{ name: "web", image: `${host}/team/web:1` }] },
          },
        },
      },
    });
  });
}

export type RegcredCase = {
  kind: "copy" | "ecr";
  label: string;
  registryId: string;
  kubeconfigFile: string;
  homeNamespace: string;
  ecr: { accessKeyId: string; secretAccessKey: string; endpoint: string };
  central: { namespace: string; secret: string };
};

/** Adds the cluster and the registry, then sends the signal the dashboard sends ("Sync now"). */
export async function runRegcred(database: Database, c: RegcredCase) {
  const db = database.db;
  const key = randomBytes(32);
  const keyring = createKeyring(key);
  const orgId = `eso-bench-${c.label}`;
  await db.insert(orgs).values({ id: orgId, name: orgId });
  const actor = {
    orgId,
    role: "admin" as const,
    kind: "user" as const,
    userId: null,
    tokenId: null,
    label: "bench",
    scopes: [],
  };
  const ctx = { db, keyring, actor };
  const clusterName = `bench-${c.label}`;
  const controller = new Controller({
    db,
    keyring,
    instanceId: `eso-bench-${c.label}`,
    resyncMs: 3_600_000,
    gracePeriodMs: 3_600_000,
    leaseDurationMs: 15_000,
    timeoutMs: 20_000,
    ecrEndpoint: c.ecr.endpoint,
  });
  setControllerSignals({
    cluster: (clusterId, trigger) => controller.kick(clusterId, trigger),
    org: (org, trigger) => controller.kickOrg(org, trigger),
    contents: (clusterId) => controller.manager(clusterId)?.clusterCache()?.contents() ?? null,
  });
  await controller.start();
  const doc = loadYaml<{ contexts: Array<{ context: Record<string, unknown> }> }>(
    fs.readFileSync(c.kubeconfigFile, "utf8"),
  );
  for (const x of doc.contexts) x.context.namespace = c.homeNamespace;

  const t0 = performance.now();
  const cluster = await createCluster(ctx, {
    name: clusterName,
    kubeconfig: JSON.stringify(doc),
    namespace_selector: `eso-bench=${c.label}`,
    ...(c.kind === "copy" ? { secret_ref_namespaces: [c.central.namespace] } : {}),
  });
  await createRegistry(
    ctx,
    c.kind === "copy"
      ? { id: c.registryId, registry: COPY_HOST, type: "secret_ref", secrets: { "*": c.central } }
      : {
          id: c.registryId,
          registry: ECR_HOST,
          type: "amazon_ecr",
          creds: { username: c.ecr.accessKeyId, password: c.ecr.secretAccessKey },
        },
  );
  await requestSync(ctx, cluster.id);
  return {
    t0,
    clusterId: cluster.id,
    key,
    ctx,
    stop: async () => {
      await controller.stop();
      setControllerSignals(null);
    },
  };
}

/**
 * scripts/controller.sh as its own process on the case's PostgreSQL database: it takes the cluster over, a
 * "Sync now" is queued, and once that pass has finished (every secret already right) its resident memory is read.
 */
export async function standaloneRss(opts: {
  url: string;
  key: Buffer;
  ecrEndpoint: string;
  ctx: Parameters<typeof requestSync>[0];
  clusterId: string;
  logFile: string;
  rss: (pid: number) => number;
}): Promise<{ heldMb: number; passSeconds: number }> {
  const out = fs.openSync(opts.logFile, "a");
  const child = spawn("scripts/controller.sh", [], {
    stdio: ["ignore", out, out],
    env: {
      ...process.env,
      DATABASE_URL: opts.url,
      REGCRED_ENCRYPTION_KEY: opts.key.toString("hex"),
      REGCRED_ECR_ENDPOINT: opts.ecrEndpoint,
      REGCRED_INSTANCE_ID: "eso-bench-standalone",
      LOG_LEVEL: "warn",
    },
  });
  fs.closeSync(out);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    const t0 = performance.now();
    const { id } = await requestSync(opts.ctx, opts.clusterId);
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`scripts/controller.sh exited (${child.exitCode}); see ${opts.logFile}`);
      if (performance.now() - t0 > 180_000)
        throw new Error(`the standalone controller did not finish a pass in 180 s; see ${opts.logFile}`);
      const [run] = await opts.ctx.db.select({ status: syncRuns.status }).from(syncRuns).where(eq(syncRuns.id, id));
      if (run && run.status !== "queued" && run.status !== "running") break;
      await sleep(200);
    }
    const passSeconds = (performance.now() - t0) / 1000;
    await sleep(2_000);
    return { heldMb: opts.rss(child.pid!), passSeconds };
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.race([exited, sleep(10_000).then(() => child.kill("SIGKILL"))]);
  }
}

import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type Database, openDatabase } from "@/db/client";
import { clusters } from "@/db/schema";
import type { ClusterRow } from "@/lib/clusters/repo";
import { ClusterManager } from "@/lib/controller/manager";
import { createKeyring } from "@/lib/crypto/secret-box";
import { stubClient } from "@/lib/integrations/kube";
import { createOrg, sql } from "../helpers/db";

// The in-memory database is broken on purpose (a table dropped): the failures logged are PostgreSQL's own (PGlite).
type LogLine = { level: string; msg: string; cluster?: string; error?: string; errorCode?: string };

let lines: LogLine[] = [];

function captureStderr(): void {
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    for (const text of String(chunk).split("\n").filter(Boolean)) {
      try {
        lines.push(JSON.parse(text) as LogLine);
      } catch {
        // not a log line
      }
    }
    return (write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write);
}

async function logged(msg: string, ms = 15_000): Promise<LogLine> {
  const end = Date.now() + ms;
  for (;;) {
    const line = lines.find((l) => l.msg === msg);
    if (line) return line;
    if (Date.now() > end) throw new Error(`no "${msg}" log line; got: ${lines.map((l) => l.msg).join(", ")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let database: Database;

async function brokenCluster(name: string, table: "cluster_sync" | "sync_runs"): Promise<ClusterRow> {
  const orgId = await createOrg(database.db);
  const [cluster] = await database.db
    .insert(clusters)
    .values({
      orgId,
      name,
      source: "in-cluster",
      server: "https://kubernetes.invalid",
      contextName: "in-cluster",
      authKind: "in-cluster",
      excludeNamespaces: [],
      createdBy: "test",
    })
    .returning();
  await database.db.execute(sql.raw(`DROP TABLE IF EXISTS ${table} CASCADE`));
  return cluster!;
}

function managerFor(cluster: ClusterRow, leases: boolean): ClusterManager {
  return new ClusterManager({
    db: database.db,
    keyring: createKeyring(randomBytes(32)),
    installation: "test-installation",
    cluster,
    client: stubClient("https://kubernetes.invalid", "leases are forbidden here"),
    instanceId: "replica-a",
    resyncMs: 300_000,
    gracePeriodMs: 60_000,
    leaseDurationMs: 8_000,
    timeoutMs: 1_000,
    tickMs: 100,
    debounceMs: 10,
    leases,
  });
}

describe("[controller] database failures are logged with their message", () => {
  beforeAll(async () => {
    captureStderr();
    database = await openDatabase({});
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await database?.close();
  });
  afterEach(() => {
    lines = [];
  });

  it("the lease problem that cannot be recorded is logged, not dropped", async () => {
    const cluster = await brokenCluster("no-cluster-sync", "cluster_sync");
    const m = managerFor(cluster, true);
    try {
      m.start();
      const line = await logged("could not record why the lease cannot be taken");
      expect(line).toMatchObject({
        level: "error",
        cluster: cluster.id,
        error: 'relation "cluster_sync" does not exist',
        errorCode: "42P01",
      });
    } finally {
      await m.stop();
    }
  });

  it("a failed sync pass is logged with the database's message", async () => {
    const cluster = await brokenCluster("no-sync-runs", "sync_runs");
    const m = managerFor(cluster, false);
    try {
      m.start();
      const line = await logged("sync pass failed");
      expect(line).toMatchObject({
        level: "error",
        cluster: cluster.id,
        error: 'relation "sync_runs" does not exist',
        errorCode: "42P01",
      });
    } finally {
      await m.stop();
    }
  });
});

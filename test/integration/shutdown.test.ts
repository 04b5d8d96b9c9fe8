import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CoordinationV1Api, KubeConfig, type V1Lease } from "@kubernetes/client-node";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "@/db/client";
import { leaseNameFor } from "@/lib/controller/lease";
import { createKeyring } from "@/lib/crypto/secret-box";
import { ensureInstallation } from "@/lib/installation/repo";
import { createRegistry } from "@/lib/registries/service";
import { createDeployment, eventually, type Fixture, openFixture, readSecret, testScope } from "./controller-fixture";

// Two standalone controller processes (the compiled dist/controller/controller.mjs, as scripts/controller.sh runs it)
// on a PostgreSQL database of their own. SIGTERM to the leader hands its Lease over at once, long before it expires.
const root = path.resolve(import.meta.dirname, "../..");
const node = path.join(root, "node_modules/.bin/node");
let f: Fixture;
let pgAdmin: ReturnType<typeof postgres>;
let dbName: string;
let url: string;
let database: Database;
const children: ChildProcess[] = [];
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-shutdown-"));
const logOf = (id: string) => fs.readFileSync(path.join(logDir, `${id}.log`), "utf8");

beforeAll(async () => {
  execFileSync(node, ["scripts/build-controller.mjs"], { cwd: root, stdio: "inherit" });
  const admin = process.env.PG_ADMIN_URL;
  if (!admin)
    throw new Error("PG_ADMIN_URL is not set: start the peers (scripts/peers/up.sh) and source their env file.");
  f = await openFixture();
  pgAdmin = postgres(admin, { max: 1, onnotice: () => {} });
  dbName = `regcred_stop_${randomBytes(4).toString("hex")}`;
  await pgAdmin.unsafe(`create database ${dbName}`);
  const u = new URL(admin);
  u.pathname = `/${dbName}`;
  url = u.toString();
  database = await openDatabase({ url });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await database?.close();
  await pgAdmin?.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
  await pgAdmin?.end();
  await f?.database.close();
  f?.stopKube();
  fs.rmSync(logDir, { recursive: true, force: true });
});

function startController(id: string, key: string): { child: ChildProcess; exited: Promise<number | null> } {
  const log = fs.openSync(path.join(logDir, `${id}.log`), "a");
  const child = spawn(node, ["dist/controller/controller.mjs"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      REGCRED_ENCRYPTION_KEY: key,
      REGCRED_INSTANCE_ID: id,
      // A long lease: the hand-over must come from the release, not from the lease running out.
      REGCRED_LEASE_SECONDS: "60",
      REGCRED_DATA_DIR: path.join(logDir, id),
      REGCRED_WEBHOOK_PORT: "0",
      REGCRED_ADMIN_PASSWORD: "not-used-in-this-test",
    },
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  children.push(child);
  return { child, exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))) };
}

const expiryOf = (lease: V1Lease) =>
  new Date(lease.spec!.renewTime as unknown as string).getTime() + lease.spec!.leaseDurationSeconds! * 1000;

describe("SIGTERM", () => {
  it("[shutdown] two controller processes: SIGTERM to the leader releases its Lease, the other takes it before it would have expired, the leader exits 0", async () => {
    const key = randomBytes(32).toString("hex");
    const g: Fixture = { ...f, database, db: database.db, keyring: createKeyring(Buffer.from(key, "hex")) };
    const s = await testScope(g, "stop");
    const ns = await s.namespace("app");
    await createRegistry(s.ctx, {
      id: "priv",
      registry: "priv.example.com",
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    await createDeployment(f, ns, "web", "priv.example.com/web:1");
    const procs = { "stop-a": startController("stop-a", key), "stop-b": startController("stop-b", key) };
    await eventually(() => readSecret(f, ns, "regcred-priv"), "the leader's first pass", 60_000);
    await eventually(
      async () => Object.keys(procs).every((id) => logOf(id).includes('"msg":"controller started"')),
      "both processes to start",
      60_000,
    );

    const kc = new KubeConfig();
    kc.loadFromFile(f.kube.KUBECONFIG_ADMIN);
    const coordination = kc.makeApiClient(CoordinationV1Api);
    const name = leaseNameFor(await ensureInstallation(database.db), s.cluster.id);
    const held = await coordination.readNamespacedLease({ namespace: s.home, name });
    const leaderId = held.spec?.holderIdentity as keyof typeof procs;
    expect(Object.keys(procs)).toContain(leaderId);
    const otherId = leaderId === "stop-a" ? "stop-b" : "stop-a";
    const expiresAt = expiryOf(held);

    procs[leaderId].child.kill("SIGTERM");
    const taken = await eventually(
      async () => {
        const lease = await coordination.readNamespacedLease({ namespace: s.home, name });
        return lease.spec?.holderIdentity === otherId ? { lease, seenAt: Date.now() } : null;
      },
      "the other process to take the Lease",
      60_000,
    );
    // Taken while the old holder's lease was still running: the release handed it over, not its expiry.
    expect(taken.seenAt).toBeLessThan(expiresAt);
    expect(new Date(taken.lease.spec!.acquireTime as unknown as string).getTime()).toBeLessThan(expiresAt);
    expect(await procs[leaderId].exited).toBe(0);
    const leaderLog = logOf(leaderId);
    for (const line of ['"msg":"controller stopping","signal":"SIGTERM"', '"msg":"stopped leading cluster"'])
      expect(leaderLog).toContain(line);
    expect(leaderLog).toMatch(/"msg":"controller stopped","signal":"SIGTERM"/);
    expect(leaderLog).not.toMatch(/"level":"error"/);

    // The new leader serves the cluster.
    const later = await s.namespace("later");
    await createDeployment(f, later, "web", "priv.example.com/web:1");
    await eventually(() => readSecret(f, later, "regcred-priv"), "the new leader to sync", 60_000);
    procs[otherId].child.kill("SIGTERM");
    expect(await procs[otherId].exited).toBe(0);
  }, 180_000);

  it("[shutdown] a controller with an unusable REGCRED_WEBHOOK_CA_DIR does not start, and says which variable and why", async () => {
    const caDir = path.join(logDir, "no-ca");
    fs.mkdirSync(caDir);
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(node, ["dist/controller/controller.mjs"], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: url, REGCRED_WEBHOOK_CA_DIR: caDir },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let text = "";
      child.stdout.on("data", (d) => (text += String(d)));
      child.stderr.on("data", (d) => (text += String(d)));
      child.on("exit", (code) => resolve({ code, text }));
    });
    expect(out.code).toBe(1);
    expect(out.text).toContain(`REGCRED_WEBHOOK_CA_DIR: tls.crt is missing`);
    expect(out.text).toContain("The controller did not start");
  });
});

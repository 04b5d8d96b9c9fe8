import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CoordinationV1Api, KubeConfig } from "@kubernetes/client-node";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "@/db/client";
import { leaseNameFor } from "@/lib/controller/lease";
import { ensureInstallation } from "@/lib/installation/repo";
import { createKeyring } from "@/lib/crypto/secret-box";
import { createRegistry } from "@/lib/registries/service";
import { createDeployment, eventually, type Fixture, openFixture, readSecret, testScope } from "./controller-fixture";

// Two controller processes (as scripts/controller.sh runs them) on a database of their own: one leads, kill -9 it, the other takes over.
const root = path.resolve(import.meta.dirname, "../..");
let f: Fixture;
let pgAdmin: ReturnType<typeof postgres>;
let dbName: string;
let url: string;
let database: Database;
const children: ChildProcess[] = [];
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-controllers-"));

beforeAll(async () => {
  // Built once here (scripts/controller.sh would otherwise build it in both processes at once, inside the test's wait).
  execFileSync(path.join(root, "node_modules/.bin/node"), ["scripts/build-controller.mjs"], {
    cwd: root,
    stdio: "inherit",
  });
  const admin = process.env.PG_ADMIN_URL;
  if (!admin)
    throw new Error(
      "PG_ADMIN_URL is not set: the controller processes need PostgreSQL. Start it with scripts/peers/postgres-up.sh and export its env file.",
    );
  f = await openFixture();
  pgAdmin = postgres(admin, { max: 1, onnotice: () => {} });
  dbName = `regcred_ctl_${randomBytes(4).toString("hex")}`;
  await pgAdmin.unsafe(`create database ${dbName}`);
  const u = new URL(admin);
  u.pathname = `/${dbName}`;
  url = u.toString();
  database = await openDatabase({ url });
});

afterAll(async () => {
  for (const c of children) kill(c);
  await database?.close();
  await pgAdmin?.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
  await pgAdmin?.end();
  await f?.database.close();
  f?.stopKube();
});

function kill(c: ChildProcess): void {
  try {
    if (c.pid) process.kill(-c.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function startController(id: string, key: string): ChildProcess {
  const log = fs.openSync(path.join(logDir, `${id}.log`), "a");
  const child = spawn(path.join(root, "scripts/controller.sh"), [], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      REGCRED_ENCRYPTION_KEY: key,
      REGCRED_INSTANCE_ID: id,
      REGCRED_LEASE_SECONDS: "6",
      REGCRED_DATA_DIR: logDir,
      REGCRED_ADMIN_PASSWORD: "not-used-in-this-test",
    },
    stdio: ["ignore", log, log],
    // Its own process group, so a kill reaches whatever the script runs.
    detached: true,
  });
  children.push(child);
  return child;
}

describe("controller processes", () => {
  it("[lease] two processes: one leads; kill -9 it and the other takes over", async () => {
    const key = randomBytes(32).toString("hex");
    const g: Fixture = { ...f, database, db: database.db, keyring: createKeyring(Buffer.from(key, "hex")) };
    const s = await testScope(g, "procs");
    const ns = await s.namespace("app");
    await createRegistry(s.ctx, {
      id: "priv",
      registry: "priv.example.com",
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    await createDeployment(f, ns, "web", "priv.example.com/web:1");
    const a = startController("proc-a", key);
    const b = startController("proc-b", key);
    await eventually(() => readSecret(f, ns, "regcred-priv"), "the leader's first pass", 60_000);

    const kc = new KubeConfig();
    kc.loadFromFile(f.kube.KUBECONFIG_ADMIN);
    const coordination = kc.makeApiClient(CoordinationV1Api);
    const LEASE_NAME = leaseNameFor(await ensureInstallation(database.db), s.cluster.id);
    const holder = (await coordination.readNamespacedLease({ namespace: s.home, name: LEASE_NAME })).spec
      ?.holderIdentity;
    expect(["proc-a", "proc-b"]).toContain(holder);
    const [leader, other] = holder === "proc-a" ? [a, "proc-b"] : [b, "proc-a"];

    kill(leader);
    const later = await s.namespace("later");
    await createDeployment(f, later, "web", "priv.example.com/web:1");
    await eventually(() => readSecret(f, later, "regcred-priv"), "the other process to take over and sync", 60_000);
    const lease = await coordination.readNamespacedLease({ namespace: s.home, name: LEASE_NAME });
    expect(lease.spec?.holderIdentity).toBe(other);
    expect(lease.spec?.leaseTransitions).toBeGreaterThanOrEqual(1);
  }, 120_000);
});

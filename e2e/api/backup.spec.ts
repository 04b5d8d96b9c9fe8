import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { createTestPki, type RegistryPeer, startRegistry, type TestPki } from "../../test/peers";
import { type OwnServer, startOwnServer, tempDataDir } from "../own-server";

// The README's "Backup and restore" commands, run as written: a backup of a PGlite data folder and a pg_dump of a
// PostgreSQL database, each restored into a fresh installation that shows the same registries and clusters through
// the API and can still use their credentials; with another key the restore refuses to start, saying why.
const token = "backup-e2e-token-0123456789abcdef";
// The test registry listens on 127.0.0.1, which outbound checks refuse unless told otherwise.
const base = { REGCRED_BOOTSTRAP_TOKEN: token, REGCRED_EGRESS_ALLOW_LOOPBACK: "true" };
const password = `backup-canary-${randomBytes(6).toString("hex")}`;
let pki: TestPki;
let registry: RegistryPeer;

test.beforeAll(async () => {
  pki = await createTestPki();
  registry = await startRegistry({ tls: pki.server, auth: { htpasswd: { alice: password } } });
});

test.afterAll(async () => {
  await registry?.stop();
  await pki?.remove();
});

async function call(server: OwnServer, method: string, route: string, body?: unknown) {
  const res = await fetch(`${server.url}/api/orgs/default/${route}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

type Snapshot = { registries: unknown; clusters: unknown; clusterId: string };

/** Creates a registry (the test docker-registry, htpasswd) and a cluster (the test kube-apiserver). */
async function populate(server: OwnServer): Promise<Snapshot> {
  const created = await call(server, "POST", "registries", {
    id: "backed-up",
    registry: registry.host,
    type: "basic",
    creds: { username: "alice", password },
    ca_cert: pki.ca.cert,
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const kubeconfig = fs.readFileSync(process.env.KUBECONFIG_ADMIN!, "utf8");
  const cluster = await call(server, "POST", "clusters", { name: "backed-up", kubeconfig });
  expect(cluster.status).toBe(201);
  return snapshot(server, String(cluster.json.id));
}

async function snapshot(server: OwnServer, clusterId: string): Promise<Snapshot> {
  const registries = await call(server, "GET", "registries");
  const clusters = await call(server, "GET", "clusters");
  expect(registries.status).toBe(200);
  expect(clusters.status).toBe(200);
  return { registries: registries.json, clusters: clusters.json, clusterId };
}

/** The same registries and clusters, and their stored credentials still work against the real peers. */
async function expectRestored(server: OwnServer, before: Snapshot): Promise<void> {
  expect(await snapshot(server, before.clusterId)).toEqual(before);
  const registryCheck = await call(server, "POST", "registries/backed-up/test");
  expect(registryCheck.status).toBe(200);
  expect(registryCheck.json, JSON.stringify(registryCheck.json)).toMatchObject({
    status: "valid",
    failedStep: null,
    proven: `Basic login as alice to ${registry.host}`,
  });
  const clusterCheck = await call(server, "POST", `clusters/${before.clusterId}/test`);
  expect(clusterCheck.status).toBe(200);
  expect(clusterCheck.json).toMatchObject({ status: "ok" });
}

const CANNOT_DECRYPT = /Sealed values cannot be decrypted with the configured keys: 1 in registries\.creds_sealed/;

test("[backup] a PGlite data folder copied after a stop restores into a fresh installation; another key is refused", async () => {
  test.setTimeout(240_000);
  const live = tempDataDir("backup-live");
  const first = await startOwnServer({ REGCRED_DATA_DIR: live, ...base });
  const before = await populate(first);
  await first.stop();

  // README: stop Regcred, then `tar -C "$REGCRED_DATA_DIR" -czf regcred-backup.tgz .` (the key is in the folder).
  const archive = path.join(tempDataDir("backup-archive"), "regcred-backup.tgz");
  execFileSync("tar", ["-C", live, "-czf", archive, "."]);
  fs.rmSync(live, { recursive: true, force: true });
  const restore = (dir: string) => execFileSync("tar", ["-C", dir, "-xzf", archive]);

  const fresh = tempDataDir("backup-restored");
  restore(fresh);
  const restored = await startOwnServer({ REGCRED_DATA_DIR: fresh, ...base });
  try {
    await expectRestored(restored, before);
  } finally {
    await restored.stop();
  }

  const wrong = tempDataDir("backup-wrong-key");
  restore(wrong);
  await expect(
    startOwnServer({
      REGCRED_DATA_DIR: wrong,
      ...base,
      REGCRED_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    }),
  ).rejects.toThrow(CANNOT_DECRYPT);
});

test("[backup] pg_dump of a running installation, pg_restore into a fresh database: the same data with the same key; another key is refused", async () => {
  test.setTimeout(240_000);
  const adminUrl = process.env.DATABASE_URL_TEST;
  if (!adminUrl) throw new Error("DATABASE_URL_TEST is not set: start the peers and source their env file.");
  const pgBin = execFileSync("bash", ["-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1"], {
    encoding: "utf8",
  }).trim();
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const names = [`regcred_bk_${randomBytes(4).toString("hex")}`, `regcred_rs_${randomBytes(4).toString("hex")}`];
  const urlOf = (name: string) => {
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    return u.toString();
  };
  try {
    await admin.unsafe(`create database ${names[0]}`);
    const key = randomBytes(32).toString("hex");
    const env = (name: string, k = key) => ({
      DATABASE_URL: urlOf(name),
      REGCRED_ENCRYPTION_KEY: k,
      REGCRED_DATA_DIR: tempDataDir("backup-pg"),
      ...base,
    });
    const live = await startOwnServer(env(names[0]!));
    const dump = path.join(tempDataDir("backup-dump"), "regcred.dump");
    let before: Snapshot;
    try {
      before = await populate(live);
      // README: pg_dump --format=custom --file regcred.dump "$DATABASE_URL" (a consistent snapshot; no stop needed).
      execFileSync(path.join(pgBin, "pg_dump"), ["--format=custom", "--file", dump, urlOf(names[0]!)]);
    } finally {
      await live.stop();
    }

    // README: createdb, then pg_restore --no-owner --dbname "$NEW_DATABASE_URL" regcred.dump
    await admin.unsafe(`create database ${names[1]}`);
    execFileSync(path.join(pgBin, "pg_restore"), ["--no-owner", "--dbname", urlOf(names[1]!), dump]);
    const restored = await startOwnServer(env(names[1]!));
    try {
      await expectRestored(restored, before);
    } finally {
      await restored.stop();
    }
    await expect(startOwnServer(env(names[1]!, randomBytes(32).toString("hex")))).rejects.toThrow(CANNOT_DECRYPT);
  } finally {
    for (const name of names) await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
  }
});

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import * as k8s from "@kubernetes/client-node";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { freePort } from "../own-server";

// Dashboards this spec starts itself (`next start` from the built .next): SIGTERM hand-over between two replicas
// running the controller in-process on PostgreSQL, a clean PGlite restart, and readiness when the database fails.
const TOKEN = "lifecycle-e2e-token-0123456789abcdef";
const PASSWORD = "lifecycle-e2e-password";
const suffix = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;

type Dashboard = {
  port: number;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
  child: ChildProcess;
};

async function startDashboard(env: Record<string, string>): Promise<Dashboard> {
  const port = await freePort();
  let out = "";
  const child = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      DATABASE_URL: "",
      REGCRED_BOOTSTRAP_TOKEN: TOKEN,
      REGCRED_ADMIN_PASSWORD: PASSWORD,
      REGCRED_ADMIN_EMAIL: "ops@lifecycle.test",
      REGCRED_PASSWORD_SCRYPT_LOG_N: "12",
      REGCRED_EGRESS_ALLOW_LOOPBACK: "true",
      REGCRED_WEBHOOK_PORT: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += String(d)));
  child.stderr!.on("data", (d) => (out += String(d)));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 360; i++) {
    if (child.exitCode !== null) throw new Error(`dashboard exited with ${child.exitCode}:\n${out}`);
    if (
      await fetch(`${url}/api/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { port, url, output: () => out, exited, child };
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGKILL");
  throw new Error(`dashboard did not become ready:\n${out}`);
}

async function eventually<T>(fn: () => Promise<T | null | false | undefined>, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function freshDatabase(): Promise<{ url: string; name: string; admin: ReturnType<typeof postgres> }> {
  const adminUrl = process.env.DATABASE_URL_TEST;
  if (!adminUrl) throw new Error("DATABASE_URL_TEST is not set: start the peers and source their env file.");
  const name = `regcred_life_${randomBytes(5).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), name, admin };
}

const dashboards: Dashboard[] = [];
test.afterAll(() => {
  for (const d of dashboards) if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill("SIGKILL");
});

test("[shutdown] two dashboards on PostgreSQL with the controller in-process: SIGTERM to the leader hands its Lease over before it would expire", async ({
  playwright,
}) => {
  test.setTimeout(240_000);
  const db = await freshDatabase();
  const kubeconfig = fs.readFileSync(process.env.KUBECONFIG_ADMIN!, "utf8");
  const kc = new k8s.KubeConfig();
  kc.loadFromString(kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const coordination = kc.makeApiClient(k8s.CoordinationV1Api);
  const namespace = async (name: string) => {
    await core.createNamespace({ body: { metadata: { name, labels: { "e2e-stop": suffix } } } });
    await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: "default" } } });
    await apps.createNamespacedDeployment({
      namespace: name,
      body: {
        metadata: { name: "web" },
        spec: {
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: { containers: [{ name: "app", image: `stop-${suffix}.example.com/web:1` }] },
          },
        },
      },
    });
    return name;
  };
  const hasSecret = (ns: string) =>
    core.readNamespacedSecret({ namespace: ns, name: "regcred-team" }).then(
      () => true,
      () => false,
    );

  const shared = {
    DATABASE_URL: db.url,
    REGCRED_CONTROLLER: "inprocess",
    REGCRED_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    // A long lease: the hand-over must come from the release, not from the lease running out.
    REGCRED_LEASE_SECONDS: "60",
  };
  const ids = [`dash-a-${suffix}`, `dash-b-${suffix}`];
  const dirs = ids.map((id) => fs.mkdtempSync(path.join(os.tmpdir(), `regcred-${id}-`)));
  // One after the other: the first migrates and bootstraps the database.
  const a = await startDashboard({ ...shared, REGCRED_INSTANCE_ID: ids[0]!, REGCRED_DATA_DIR: dirs[0]! });
  dashboards.push(a);
  const b = await startDashboard({ ...shared, REGCRED_INSTANCE_ID: ids[1]!, REGCRED_DATA_DIR: dirs[1]! });
  dashboards.push(b);

  const api = await playwright.request.newContext({
    baseURL: `${a.url}/api/orgs/default/`,
    extraHTTPHeaders: { Authorization: `Bearer ${TOKEN}` },
  });
  expect(
    (
      await api.post("registries", {
        data: {
          id: "team",
          registry: `stop-${suffix}.example.com`,
          type: "basic",
          creds: { username: "robot", password: "pw" },
        },
      })
    ).status(),
  ).toBe(201);
  expect(
    (
      await api.post("clusters", { data: { name: "dev", kubeconfig, namespace_selector: `e2e-stop=${suffix}` } })
    ).status(),
  ).toBe(201);
  await api.dispose();
  const first = await namespace(`e2e-stop-${suffix}-one`);
  await eventually(() => hasSecret(first), "the leader's first pass");

  const held = await eventually(async () => {
    const leases = await coordination.listLeaseForAllNamespaces();
    return leases.items.find((l) => ids.includes(l.spec?.holderIdentity ?? ""));
  }, "a dashboard to hold the cluster's Lease");
  const leader = held.spec!.holderIdentity === ids[0] ? a : b;
  const other = leader === a ? ids[1]! : ids[0]!;
  const expiresAt =
    new Date(held.spec!.renewTime as unknown as string).getTime() + held.spec!.leaseDurationSeconds! * 1000;

  leader.child.kill("SIGTERM");
  const taken = await eventually(async () => {
    const lease = await coordination.readNamespacedLease({
      namespace: held.metadata!.namespace!,
      name: held.metadata!.name!,
    });
    return lease.spec?.holderIdentity === other ? { lease, seenAt: Date.now() } : null;
  }, "the other dashboard to take the Lease");
  // Taken while the old holder's lease was still running: the release handed it over, not its expiry.
  expect(taken.seenAt).toBeLessThan(expiresAt);
  expect(new Date(taken.lease.spec!.acquireTime as unknown as string).getTime()).toBeLessThan(expiresAt);
  // Next exits 143 (128 + SIGTERM) once its requests are done; Regcred's lines come before that exit.
  expect(await leader.exited).toBe(143);
  const log = leader.output();
  expect(log).toContain('"msg":"regcred stopping","signal":"SIGTERM"');
  expect(log).toContain('"msg":"stopped leading cluster"');
  expect(log).toContain('"msg":"regcred stopped","signal":"SIGTERM"');
  expect(log.indexOf('"msg":"stopped leading cluster"')).toBeLessThan(log.indexOf('"msg":"regcred stopped"'));
  expect(log).not.toMatch(/"level":"error"/);
  // It stopped accepting connections.
  expect(
    await fetch(`${leader.url}/api/health`).then(
      () => "answered",
      () => "refused",
    ),
  ).toBe("refused");

  // The remaining dashboard leads and serves the cluster.
  const second = await namespace(`e2e-stop-${suffix}-two`);
  await eventually(() => hasSecret(second), "the new leader to sync a new namespace");
  const survivor = leader === a ? b : a;
  survivor.child.kill("SIGTERM");
  expect(await survivor.exited).toBe(143);
  await db.admin.unsafe(`drop database if exists ${db.name} with (force)`);
  await db.admin.end();
});

test("[shutdown] a PGlite dashboard stopped by SIGTERM starts again on the same data dir with its data and no recovery", async ({
  playwright,
}) => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-pglite-restart-"));
  const env = { REGCRED_DATA_DIR: dir, REGCRED_CONTROLLER: "inprocess" };
  const first = await startDashboard(env);
  dashboards.push(first);
  const api = await playwright.request.newContext({
    baseURL: `${first.url}/api/orgs/default/`,
    extraHTTPHeaders: { Authorization: `Bearer ${TOKEN}` },
  });
  const created = await api.post("registries", {
    data: {
      id: "kept",
      registry: `kept-${suffix}.example.com`,
      type: "basic",
      creds: { username: "u", password: "p" },
    },
  });
  expect(created.status()).toBe(201);
  await api.dispose();
  // PostgreSQL's control file says whether the cluster was shut down (1) or is still "in production" (6), which is
  // what a kill -9 leaves behind and what the next start must recover from.
  const clusterState = () => fs.readFileSync(path.join(dir, "pglite", "global", "pg_control")).readUInt32LE(16);
  expect(clusterState()).toBe(6);
  first.child.kill("SIGTERM");
  expect(await first.exited).toBe(143);
  expect(first.output()).toContain('"msg":"regcred stopped","signal":"SIGTERM"');
  expect(clusterState()).toBe(1);

  const second = await startDashboard(env);
  dashboards.push(second);
  const again = await playwright.request.newContext({
    baseURL: `${second.url}/api/orgs/default/`,
    extraHTTPHeaders: { Authorization: `Bearer ${TOKEN}` },
  });
  const kept = await again.get("registries/kept");
  expect(kept.status()).toBe(200);
  expect(await kept.json()).toMatchObject({ id: "kept", registry: `kept-${suffix}.example.com` });
  await again.dispose();
  expect(second.output()).not.toMatch(/not properly shut down|automatic recovery|lock file|corrupt|PANIC/i);
  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(143);
});

/** A TCP proxy to PostgreSQL that can be made to stop answering (connections accepted, nothing forwarded). */
async function blockableProxy(target: URL) {
  let blocked = false;
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    if (blocked) return;
    const upstream = net.connect(Number(target.port), target.hostname);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const drop = () => sockets.forEach((s) => s.destroy());
  return {
    port: (server.address() as net.AddressInfo).port,
    block: () => {
      blocked = true;
      drop();
    },
    unblock: () => {
      blocked = false;
      drop();
    },
    close: () => {
      drop();
      server.close();
    },
  };
}

test("[ops] readiness answers 503 with a reason while the database does not answer or lacks its migrations, and 200 again once it does", async () => {
  test.setTimeout(180_000);
  const db = await freshDatabase();
  const direct = new URL(db.url);
  const proxy = await blockableProxy(direct);
  const viaProxy = new URL(db.url);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  const dashboard = await startDashboard({
    DATABASE_URL: viaProxy.toString(),
    REGCRED_CONTROLLER: "off",
    REGCRED_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    REGCRED_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "regcred-ready-")),
  });
  dashboards.push(dashboard);
  const ready = async () => {
    const res = await fetch(`${dashboard.url}/api/ready`);
    return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
  };
  expect(await ready()).toEqual({ status: 200, body: { status: "ready" } });

  proxy.block();
  const down = await eventually(async () => {
    const r = await ready();
    return r.status === 503 ? r : null;
  }, "readiness to fail while the database does not answer");
  expect(down.body).toEqual({ status: "not-ready", reason: "the database does not answer" });
  // Liveness is not readiness: the process is fine.
  expect((await fetch(`${dashboard.url}/api/health`)).status).toBe(200);

  proxy.unblock();
  await eventually(async () => (await ready()).status === 200, "readiness to recover with the database");

  // The database loses its migrations (say, an empty one restored under a running replica).
  const sql = postgres(direct.toString(), { max: 1, onnotice: () => {} });
  await sql.unsafe("drop schema drizzle cascade");
  await sql.end();
  const unmigrated = await eventually(async () => {
    const r = await ready();
    return r.status === 503 ? r : null;
  }, "readiness to fail without migrations");
  expect(unmigrated.body).toEqual({
    status: "not-ready",
    reason: "the database's migrations are not applied (restart to apply them)",
  });
  for (const secretish of [db.name, direct.password, direct.username, String(proxy.port)])
    expect(JSON.stringify([down.body, unmigrated.body])).not.toContain(secretish);

  dashboard.child.kill("SIGTERM");
  await dashboard.exited;
  proxy.close();
  await db.admin.unsafe(`drop database if exists ${db.name} with (force)`);
  await db.admin.end();
});

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import {
  AdmissionregistrationV1Api,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  type V1Container,
  type V1Volume,
} from "@kubernetes/client-node";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "@/db/client";
import { findClusterRow } from "@/lib/clusters/repo";
import { createCluster } from "@/lib/clusters/service";
import type { Ctx } from "@/lib/context";
import { leaseNameFor } from "@/lib/controller/lease";
import { createKeyring } from "@/lib/crypto/secret-box";
import { ensureInstallation } from "@/lib/installation/repo";
import { createRegistry } from "@/lib/registries/service";
import { webhookConfigurationName } from "@/lib/webhook/configuration";
import { actorFor, createOrg, uniqueId } from "../helpers/db";
import { ensureKube, type KubeEnv } from "../helpers/kube";
import { freePort } from "../peers/process";
import { decode, eventually } from "./controller-fixture";
import { CHART, find, type Helm, helmFor, parseManifests, root, setArgs, tokenKubeconfig } from "./helm-fixture";

// Two standalone controller processes (dist/controller/controller.mjs, what the image runs for `controller`) with
// the environment the chart renders for its controller Deployment: every value as rendered, Secret references read
// from the Secrets the chart installed, the mounted CA Secret written to a directory, /data a temp dir each. Only the
// webhook port differs (two processes on one host cannot both listen on 8443). No kubelet runs here: this is what
// the chart's Pods would run, started as plain processes.
const TEST_LABEL = "regcred-test";
const METRICS_TOKEN = randomBytes(24).toString("hex");
let kube: KubeEnv;
let stopKube = () => {};
let kc: KubeConfig;
let core: CoreV1Api;
let helm: Helm;
let pgAdmin: ReturnType<typeof postgres>;
let dbName: string;
let database: Database;
let ns: string;
const children: ChildProcess[] = [];
const work = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-helm-ctl-"));

beforeAll(async () => {
  execFileSync(path.join(root, "node_modules/.bin/node"), ["scripts/build-controller.mjs"], {
    cwd: root,
    stdio: "inherit",
  });
  const admin = process.env.PG_ADMIN_URL;
  if (!admin)
    throw new Error("PG_ADMIN_URL is not set: the controller processes need PostgreSQL (scripts/peers/up.sh)");
  const started = ensureKube();
  kube = started.env;
  stopKube = started.stop;
  kc = new KubeConfig();
  kc.loadFromFile(kube.KUBECONFIG_ADMIN);
  core = kc.makeApiClient(CoreV1Api);
  helm = helmFor(kube.KUBECONFIG_ADMIN);
  pgAdmin = postgres(admin, { max: 1, onnotice: () => {} });
  dbName = `regcred_helm_${randomBytes(4).toString("hex")}`;
  await pgAdmin.unsafe(`create database ${dbName}`);
  const u = new URL(admin);
  u.pathname = `/${dbName}`;
  database = await openDatabase({ url: u.toString() });
  ns = uniqueId("ha").slice(0, 40);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  await core.createNamespacedSecret({
    namespace: ns,
    body: { metadata: { name: "regcred-db" }, stringData: { DATABASE_URL: u.toString() } },
  });
  await core.createNamespacedSecret({
    namespace: ns,
    body: { metadata: { name: "regcred-metrics" }, stringData: { "metrics-token": METRICS_TOKEN } },
  });
  helm([
    "install",
    "ha",
    CHART,
    "-n",
    ns,
    ...setArgs({
      "database.existingSecret": "regcred-db",
      "metrics.existingSecret": "regcred-metrics",
      "controller.enabled": true,
      "controller.replicas": 2,
      "dashboard.replicas": 2,
      "rbac.wiring.modes": ["serviceaccount", "webhook"],
    }),
  ]);
}, 180_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.pid) process.kill(c.pid, "SIGKILL");
  helm?.(["uninstall", "ha", "-n", ns], { allowFail: true });
  await database?.close();
  await pgAdmin?.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
  await pgAdmin?.end();
  stopKube();
});

async function secretValue(name: string, key: string): Promise<string> {
  const s = await core.readNamespacedSecret({ namespace: ns, name });
  return decode(s.data?.[key]);
}

/** The chart's mounts as local directories: Secret volumes written out (their items), emptyDirs fresh. */
async function mounts(pod: string, c: V1Container, volumes: V1Volume[]): Promise<Map<string, string>> {
  const dirs = new Map<string, string>();
  for (const m of c.volumeMounts ?? []) {
    const dir = fs.mkdtempSync(path.join(work, `${pod}-${m.name}-`));
    const v = volumes.find((x) => x.name === m.name)!;
    if (v.secret)
      for (const item of v.secret.items ?? [])
        fs.writeFileSync(path.join(dir, item.path), await secretValue(v.secret.secretName!, item.key), { mode: 0o600 });
    dirs.set(m.mountPath, dir);
  }
  return dirs;
}

/** The container's env as the kubelet would resolve it for Pod `pod`. */
async function renderedEnv(pod: string, c: V1Container, dirs: Map<string, string>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined) out[e.name] = dirs.get(e.value) ?? e.value;
    else if (e.valueFrom?.secretKeyRef)
      out[e.name] = await secretValue(e.valueFrom.secretKeyRef.name!, e.valueFrom.secretKeyRef.key);
    else if (e.valueFrom?.fieldRef?.fieldPath === "metadata.name") out[e.name] = pod;
    else throw new Error(`env ${e.name}: a reference this test does not resolve`);
  }
  return out;
}

type Proc = { pod: string; child: ChildProcess; port: number; http: string; exited: Promise<number | null> };

async function startReplica(pod: string): Promise<Proc> {
  const manifest = parseManifests(helm(["get", "manifest", "ha", "-n", ns]).stdout);
  const spec = (
    find(manifest, "Deployment", "ha-regcred-controller") as {
      spec: { template: { spec: { containers: V1Container[]; volumes: V1Volume[] } } };
    }
  ).spec.template.spec;
  const c = spec.containers[0]!;
  expect(c.args).toEqual(["controller"]);
  const env = await renderedEnv(pod, c, await mounts(pod, c, spec.volumes));
  // The probes and scrapes reach the controller on its http port, as the chart declares it.
  expect(env.REGCRED_CONTROLLER_HTTP_PORT).toBe("9090");
  expect(c.ports?.find((p) => p.name === "http")?.containerPort).toBe(9090);
  expect(c.readinessProbe?.httpGet).toMatchObject({ path: "/readyz", port: "http" });
  expect(c.livenessProbe?.httpGet).toMatchObject({ path: "/healthz", port: "http" });
  const port = await freePort();
  const httpPort = await freePort();
  const log = fs.openSync(path.join(work, `${pod}.log`), "a");
  const child: ChildProcess = spawn(path.join(root, "node_modules/.bin/node"), ["dist/controller/controller.mjs"], {
    cwd: root,
    // NODE_ENV as the image sets it; PATH to find nothing but what the environment already has.
    env: {
      NODE_ENV: "production",
      PATH: process.env.PATH,
      ...env,
      REGCRED_WEBHOOK_PORT: String(port),
      REGCRED_CONTROLLER_HTTP_PORT: String(httpPort),
    },
    stdio: ["ignore", log, log],
  });
  children.push(child);
  const exited = new Promise<number | null>((r) => child.once("exit", (code: number | null) => r(code)));
  return { pod, child, port, http: `http://127.0.0.1:${httpPort}`, exited };
}

/** The serving certificate this process presents chains to `caPem` for the name the API server calls. */
function servesFromCa(port: number, caPem: string, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect(
      { host: "127.0.0.1", port, ca: caPem, servername: host, rejectUnauthorized: false },
      () => {
        const ok = socket.authorized && tls.checkServerIdentity(host, socket.getPeerCertificate()) === undefined;
        socket.destroy();
        resolve(ok);
      },
    );
    socket.once("error", () => resolve(false));
  });
}

async function appNamespace(label: string, suffix: string): Promise<string> {
  const name = `${label}-${suffix}`;
  await core.createNamespace({ body: { metadata: { name, labels: { [TEST_LABEL]: label } } } });
  await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: "default" } } });
  await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
    namespace: name,
    body: {
      metadata: { name: "web" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "app", image: "priv.example.com/web:1" }] },
        },
      },
    },
  });
  return name;
}

const passwordIn = async (namespace: string) => {
  const s = await core.readNamespacedSecret({ namespace, name: "regcred-priv" }).catch(() => null);
  const auths = s
    ? (JSON.parse(decode(s.data?.[".dockerconfigjson"])) as { auths: Record<string, { password: string }> }).auths
    : null;
  return auths?.["priv.example.com"]?.password ?? null;
};

describe("controller processes configured as the chart configures them", () => {
  it("[chart] two replicas share the chart's key and webhook CA; SIGTERM to the leader hands its Lease to the other", async () => {
    const key = await secretValue("ha-regcred-encryption-key", "encryption-key");
    const caPem = await secretValue("ha-regcred-webhook-ca", "tls.crt");
    const orgId = await createOrg(database.db, "helm");
    const ctx: Ctx = {
      db: database.db,
      keyring: createKeyring(Buffer.from(key, "hex")),
      actor: actorFor(orgId, "admin"),
    };
    await createRegistry(ctx, {
      id: "priv",
      registry: "priv.example.com",
      type: "basic",
      creds: { username: "u", password: "p-shared" },
    });
    const label = uniqueId("helm").slice(0, 40);
    const first = await appNamespace(label, "one");
    const token = await core.createNamespacedServiceAccountToken({
      namespace: ns,
      name: "ha-regcred",
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    const caData = fs.readFileSync(kube.KUBE_CA_FILE).toString("base64");
    const created = await createCluster(ctx, {
      name: "in-cluster",
      kubeconfig: tokenKubeconfig(kube.KUBE_API_URL, caData, token.status!.token, ns),
      namespace_selector: `${TEST_LABEL}=${label}`,
      wiring: "webhook",
    });
    const cluster = (await findClusterRow(database.db, orgId, created.id))!;

    const a = await startReplica("ha-regcred-controller-7c9d-aaaaa");
    const b = await startReplica("ha-regcred-controller-7c9d-bbbbb");
    // The leader opened the credentials sealed with the chart's key.
    expect(await eventually(() => passwordIn(first), "the leader's first pass", 60_000)).toBe("p-shared");

    // Both serve the webhook with certificates from the chart's CA, and the registration trusts that CA.
    const host = `ha-regcred-webhook.${ns}.svc`;
    for (const p of [a, b])
      expect(
        await eventually(() => servesFromCa(p.port, caPem, host), `${p.pod} serving from the chart's CA`, 30_000),
      ).toBe(true);
    const hooks = kc.makeApiClient(AdmissionregistrationV1Api);
    const hook = await eventually(
      () => hooks.readMutatingWebhookConfiguration({ name: webhookConfigurationName(cluster.id) }).catch(() => null),
      "the webhook registration",
    );
    expect(decode(hook.webhooks?.[0]?.clientConfig.caBundle)).toBe(caPem);
    expect(hook.webhooks?.[0]?.clientConfig.url).toBe(`https://${host}:443/mutate/${cluster.id}`);

    const coordination = kc.makeApiClient(CoordinationV1Api);
    const leaseName = leaseNameFor(await ensureInstallation(database.db), cluster.id);
    const holder = (await coordination.readNamespacedLease({ namespace: ns, name: leaseName })).spec?.holderIdentity;
    expect([a.pod, b.pod]).toContain(holder);
    const [leader, other] = holder === a.pod ? [a, b] : [b, a];

    // Each pod's probes: alive and ready, the follower too (it serves the webhook and keeps its cache warm).
    for (const p of [leader, other]) {
      expect((await fetch(`${p.http}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${p.http}/readyz`)).json()).toEqual({ status: "ready" });
    }
    // Metrics need the chart's metrics token; they show which replica leads the cluster.
    expect((await fetch(`${leader.http}/metrics`)).status).toBe(401);
    const scrape = async (p: Proc) =>
      (await fetch(`${p.http}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(await scrape(leader)).toContain(`regcred_leader{cluster="${cluster.id}"} 1`);
    expect(await scrape(other)).toContain(`regcred_leader{cluster="${cluster.id}"} 0`);
    leader.child.kill("SIGTERM");
    expect(await leader.exited).toBe(0);
    const lease = await eventually(
      async () => {
        const l = await coordination.readNamespacedLease({ namespace: ns, name: leaseName });
        return l.spec?.holderIdentity === other.pod && l;
      },
      "the other replica to take the Lease",
      60_000,
    );
    expect(lease.spec?.leaseTransitions).toBeGreaterThanOrEqual(1);
    // The new leader opens the same sealed credentials.
    const later = await appNamespace(label, "two");
    expect(await eventually(() => passwordIn(later), "the new leader's pass", 60_000)).toBe("p-shared");
    other.child.kill("SIGTERM");
    expect(await other.exited).toBe(0);
  }, 180_000);
});

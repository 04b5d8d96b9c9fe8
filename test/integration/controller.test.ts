import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Controller, ControllerOptions } from "@/lib/controller/controller";
import { clientForCluster } from "@/lib/clusters/client";
import { leaseNameFor } from "@/lib/controller/lease";
import { renderMetrics } from "@/lib/metrics";
import { ensureInstallation } from "@/lib/installation/repo";
import { type Clock, ClusterManager } from "@/lib/controller/manager";
import { findClusterSync, listNamespaceResults, recentRuns } from "@/lib/sync/repo";
import { startController, stopController } from "@/lib/controller/runtime";
import { getSyncStatus, requestSync } from "@/lib/sync/service";
import { AppError } from "@/lib/errors";
import { actorFor } from "../helpers/db";
import { createRegistry, deleteRegistry, updateRegistry } from "@/lib/registries/service";
import {
  createTestPki,
  type EcrIdentities,
  type EcrTokenProxy,
  ensureMoto,
  freePort,
  type HandedOut,
  type MotoPeer,
  type RegistryPeer,
  setupEcrIdentities,
  startEcrTokenProxy,
  loginStatus,
  startRegistry,
  type TestPki,
} from "@/test/peers";
import { createCluster, updateCluster } from "@/lib/clusters/service";
import {
  createDeployment,
  decode,
  eventually,
  type Fixture,
  kubeconfigWithNamespace,
  openFixture,
  pullSecretsOf,
  readSecret,
  startTestController,
  type TestScope,
  testScope,
} from "./controller-fixture";

const ECR_HOST = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const HOUR = 3_600_000;

let f: Fixture;
let moto: MotoPeer;
let ids: EcrIdentities;
let pki: TestPki;
// The registry an ECR token logs in to: its only user is AWS with the token the proxy handed out last.
let registry: RegistryPeer;
let ecr: EcrTokenProxy;

beforeAll(async () => {
  f = await openFixture();
  moto = await ensureMoto();
  ids = await setupEcrIdentities(moto.url);
  pki = await createTestPki();
  registry = await startRegistry({ name: "ecr", tls: pki.server, auth: { htpasswd: { AWS: "no-token-yet" } } });
  ecr = await startEcrTokenProxy({ target: moto.url, onToken: (t) => registry.setUsers({ AWS: t.password }) });
});

afterEach(async () => {
  await stopController();
  ecr.down = false;
  ecr.now = () => new Date();
});

afterAll(async () => {
  await ecr?.close();
  await registry?.stop();
  await pki?.remove();
  await moto?.stop();
  await f?.database.close();
  f?.stopKube();
});

/** The status of GET /v2/ on the registry with `AWS:<password>`, as a kubelet pulling with that secret logs in. */
const logsIn = (password: string) => loginStatus(registry, pki.ca.cert, "AWS", password);

/** regcred.dev/expires as Kubernetes label values allow: YYYYMMDDTHHMMSSZ. */
const expiryLabel = (d: Date) =>
  d
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");

/** The ECR password in a namespace's regcred secret, and its expiry label. */
async function ecrSecret(ns: string, name: string): Promise<{ password: string; expires: string; version: string }> {
  const secret = await readSecret(f, ns, name);
  const auth = JSON.parse(decode(secret?.data?.[".dockerconfigjson"]) || "{}").auths?.[ECR_HOST];
  return {
    password: auth?.password ?? "",
    expires: secret?.metadata?.labels?.["regcred.dev/expires"] ?? "",
    version: secret?.metadata?.resourceVersion ?? "",
  };
}

const holds = async (ns: string, name: string, token: HandedOut) => {
  const got = await ecrSecret(ns, name);
  return got.password === token.password && got.expires === expiryLabel(token.expiresAt);
};

type Started = { controller: Controller; scope: TestScope };

async function run(
  scope: TestScope,
  overrides: {
    clock?: Clock;
    instanceId?: string;
    clientFor?: ControllerOptions["clientFor"];
    gracePeriodMs?: number;
  } = {},
): Promise<Started> {
  const { controller } = await startTestController(f, scope, {
    ecrEndpoint: ecr.url,
    ...(overrides.instanceId ? { instanceId: overrides.instanceId } : {}),
    clock: overrides.clock,
    clientFor: overrides.clientFor,
    gracePeriodMs: overrides.gracePeriodMs ?? 60_000,
  });
  return { controller, scope };
}

const ecrCreds = () => ({ username: ids.ecrUser.accessKeyId, password: ids.ecrUser.secretAccessKey });

describe("controller against a real kube-apiserver", () => {
  it("[ecr] a Deployment gets regcred-<id> with the right labels, its ServiceAccount is wired, and a Pod created later carries it", async () => {
    const s = await testScope(f, "ecr");
    const [a, b] = [await s.namespace("a"), await s.namespace("b")];
    await createRegistry(s.ctx, { id: "ecr-main", registry: ECR_HOST, type: "amazon_ecr", creds: ecrCreds() });
    const mintsBefore = ecr.mints();
    const { controller } = await run(s);
    const manager = controller.manager(s.cluster.id)!;
    await createDeployment(f, a, "web", `${ECR_HOST}/team/web:1.0`);
    await createDeployment(f, b, "api", `${ECR_HOST}/team/api:1.0`);

    const secret = await eventually(() => readSecret(f, b, "regcred-ecr-main"), "the secret in the second namespace");
    expect(secret.type).toBe("kubernetes.io/dockerconfigjson");
    expect(secret.metadata?.labels).toEqual({
      "regcred.dev/registry": "ecr-main",
      "regcred.dev/expires": expiryLabel(ecr.handedOut().at(-1)!.expiresAt),
      "regcred.dev/environment": `${s.cluster.name}.${b}`,
      "app.kubernetes.io/managed-by": "regcred",
      "regcred.dev/installation": await ensureInstallation(f.db),
      "regcred.dev/org": s.cluster.orgId,
    });
    expect(secret.metadata?.annotations).toMatchObject({
      "argocd.argoproj.io/compare-options": "IgnoreExtraneous",
      "regcred.dev/content-hash": expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    const auth = JSON.parse(decode(secret.data?.[".dockerconfigjson"])).auths[ECR_HOST];
    const token = ecr.handedOut().at(-1)!;
    expect(auth).toEqual({
      username: "AWS",
      password: token.password,
      auth: Buffer.from(`AWS:${token.password}`).toString("base64"),
    });
    expect(await readSecret(f, a, "regcred-ecr-main")).not.toBeNull();
    await eventually(
      async () =>
        (await pullSecretsOf(f, a)).includes("regcred-ecr-main") &&
        (await pullSecretsOf(f, b)).includes("regcred-ecr-main"),
      "the ServiceAccounts to be wired",
    );
    await manager.idle();
    // One mint, counted at the proxy in front of moto, fanned out to every namespace (later passes reuse it).
    expect(ecr.mints() - mintsBefore).toBe(1);
    expect(await holds(a, "regcred-ecr-main", token)).toBe(true);
    // /api/metrics: the token's expiry as a timestamp, and the cluster's managed secrets, read from the cache.
    const metrics = (await renderMetrics()).body;
    const expiry = Math.floor(token.expiresAt.getTime() / 1000);
    expect(metrics).toContain(
      `regcred_registry_credential_expiry_timestamp_seconds{cluster="${s.cluster.id}",registry="ecr-main"} ${expiry}`,
    );
    const managed = new RegExp(`^regcred_managed_secrets\\{cluster="${s.cluster.id}"\\} (\\d+)$`, "m").exec(metrics);
    expect(Number(managed?.[1])).toBe(2);
    expect(await logsIn(token.password)).toBe(200);

    const pod = await f.core.createNamespacedPod({
      namespace: a,
      body: { metadata: { name: "later" }, spec: { containers: [{ name: "c", image: `${ECR_HOST}/team/web:1.0` }] } },
    });
    expect(pod.spec?.imagePullSecrets).toEqual([{ name: "regcred-ecr-main" }]);

    const rows = await listNamespaceResults(f.db, s.cluster.id);
    expect(rows.find((r) => r.namespace === a)).toMatchObject({ secrets: ["regcred-ecr-main"], errors: [] });
    expect(rows.find((r) => r.namespace === a)?.changes.map((c) => c.op)).toEqual(
      expect.arrayContaining(["create", "patch-sa"]),
    );
  });

  it("[secret_ref] copies the source secret from an allowed namespace, the cluster's own entry beats *, source changes update the copies", async () => {
    const s = await testScope(f, "ref");
    const src = await s.namespace("src");
    const app = await s.namespace("app");
    await updateCluster(s.ctx, s.cluster.id, { secret_ref_namespaces: [src] });
    const dockerconfig = (pw: string) =>
      Buffer.from(
        JSON.stringify({
          auths: {
            "ref.example.com": { username: "u", password: pw, auth: Buffer.from(`u:${pw}`).toString("base64") },
          },
        }),
      ).toString("base64");
    await f.core.createNamespacedSecret({
      namespace: src,
      body: {
        metadata: { name: "specific" },
        type: "kubernetes.io/dockerconfigjson",
        data: { ".dockerconfigjson": dockerconfig("one") },
      },
    });
    await f.core.createNamespacedSecret({
      namespace: src,
      body: {
        metadata: { name: "shared" },
        type: "kubernetes.io/dockerconfigjson",
        data: { ".dockerconfigjson": dockerconfig("star") },
      },
    });
    await createRegistry(s.ctx, {
      id: "ref",
      registry: "ref.example.com",
      type: "secret_ref",
      secrets: { "*": { namespace: src, secret: "shared" }, [s.cluster.name]: { namespace: src, secret: "specific" } },
    });
    await createDeployment(f, app, "web", "ref.example.com/team/web:1");
    await run(s);

    const copy = await eventually(() => readSecret(f, app, "regcred-ref"), "the copy");
    expect(copy.type).toBe("kubernetes.io/dockerconfigjson");
    expect(copy.data?.[".dockerconfigjson"]).toBe(dockerconfig("one"));
    expect(await readSecret(f, src, "regcred-ref")).toBeNull();

    await f.core.replaceNamespacedSecret({
      namespace: src,
      name: "specific",
      body: {
        metadata: { name: "specific" },
        type: "kubernetes.io/dockerconfigjson",
        data: { ".dockerconfigjson": dockerconfig("two") },
      },
    });
    await eventually(
      async () => (await readSecret(f, app, "regcred-ref"))?.data?.[".dockerconfigjson"] === dockerconfig("two"),
      "the copy to follow its source",
    );

    await updateRegistry(s.ctx, "ref", { secrets: { "*": { namespace: src, secret: "shared" } } });
    const star = await eventually(async () => {
      const c = await readSecret(f, app, "regcred-ref");
      return c?.data?.[".dockerconfigjson"] === dockerconfig("star") && c;
    }, "the copy to switch to the * source");
    expect(star.data).toEqual({ ".dockerconfigjson": dockerconfig("star") });
    expect(await pullSecretsOf(f, app)).toEqual(["regcred-ref"]);
  });

  it("[refresh] before the token expires a new one is minted at the proxy in front of moto: both copies get its data and expiry label and it logs in; while ECR fails the old secret stays until it expires, then goes, and comes back once ECR answers", async () => {
    let now = Date.now();
    const clock: Clock = { now: () => new Date(now) };
    ecr.now = clock.now;
    const s = await testScope(f, "refresh");
    const [a, b] = [await s.namespace("a"), await s.namespace("b")];
    await createRegistry(s.ctx, { id: "ecr-r", registry: ECR_HOST, type: "amazon_ecr", creds: ecrCreds() });
    await createDeployment(f, a, "web", `${ECR_HOST}/team/web:1`);
    await createDeployment(f, b, "api", `${ECR_HOST}/team/api:1`);
    const mints = ecr.mints();
    const { controller } = await run(s, { clock });
    const manager = controller.manager(s.cluster.id)!;
    const first = ecr.handedOut().at(-1)!;
    expect(ecr.mints() - mints).toBe(1);
    for (const ns of [a, b]) expect(await holds(ns, "regcred-ecr-r", first)).toBe(true);
    expect(await logsIn(first.password)).toBe(200);
    // The refresh is due at about 75% of the token's lifetime (on the injected clock); the proxy hands out
    // expiries in whole seconds, so the fraction may fall short of 0.75 by up to a second of 12 h.
    const lifetime = first.expiresAt.getTime() - now;
    const refreshIn = manager.status().nextRefreshAt!.getTime() - now;
    expect(refreshIn).toBeGreaterThanOrEqual(0.75 * lifetime - 1_000);
    expect(refreshIn / lifetime).toBeLessThanOrEqual(0.8);

    now += 10 * HOUR;
    await eventually(
      async () => ecr.mints() - mints === 2 && (await holds(a, "regcred-ecr-r", ecr.handedOut().at(-1)!)),
      "the refreshed token in the secret",
    );
    await manager.idle();
    const second = ecr.handedOut().at(-1)!;
    expect(second.password).not.toBe(first.password);
    expect(second.expiresAt.getTime()).toBeGreaterThan(first.expiresAt.getTime());
    // Rewritten two hours before the first token expired, in every namespace, from one mint.
    expect(now).toBeLessThan(first.expiresAt.getTime());
    expect(ecr.mints() - mints).toBe(2);
    for (const ns of [a, b]) expect(await holds(ns, "regcred-ecr-r", second)).toBe(true);
    expect(await logsIn(second.password)).toBe(200);
    // The registry accepts only the token handed out last: the login above is not one any password would pass.
    expect(await logsIn(first.password)).toBe(401);
    expect(
      (await recentRuns(f.db, s.cluster.id, 5)).some((r) => r.trigger === "refresh" && r.status === "succeeded"),
    ).toBe(true);

    // ECR fails when the next refresh is due: the secret stays as it is until its token expires.
    const kept = await ecrSecret(a, "regcred-ecr-r");
    ecr.down = true;
    now += 9.7 * HOUR;
    await eventually(
      async () => (await findClusterSync(f.db, s.cluster.id))?.credentialIssues.some((i) => i.registryId === "ecr-r"),
      "the failed refresh to be recorded",
    );
    const issue = (await findClusterSync(f.db, s.cluster.id))!.credentialIssues[0]!;
    expect(issue).toMatchObject({ registryId: "ecr-r", keepUntil: second.expiresAt.toISOString() });
    expect(issue.reason).toMatch(/ECR token could not be minted/);
    expect(await ecrSecret(a, "regcred-ecr-r")).toEqual(kept);
    const nsRow = (await listNamespaceResults(f.db, s.cluster.id)).find((r) => r.namespace === a);
    expect(nsRow?.outcome).toBe("error");
    expect(nsRow?.errors.join()).toMatch(/regcred-ecr-r: credentials unavailable/);
    expect(ecr.mints() - mints).toBe(2);

    now = second.expiresAt.getTime() + 60_000;
    await eventually(async () => (await readSecret(f, a, "regcred-ecr-r")) === null, "the expired secret to go");
    await eventually(async () => !(await pullSecretsOf(f, a)).includes("regcred-ecr-r"), "the reference to go");

    ecr.down = false;
    now += 10 * 60_000;
    await eventually(
      async () => ecr.mints() - mints === 3 && (await holds(a, "regcred-ecr-r", ecr.handedOut().at(-1)!)),
      "the secret to come back with a new token once ECR answers",
      30_000,
    );
    expect(await logsIn(ecr.handedOut().at(-1)!.password)).toBe(200);
    await eventually(
      async () => (await findClusterSync(f.db, s.cluster.id))?.credentialIssues.length === 0,
      "the issue to clear",
    );
  });

  it("[credentials] a credential change rewrites every copy in one pass", async () => {
    const s = await testScope(f, "creds");
    const spaces = [await s.namespace("a"), await s.namespace("b"), await s.namespace("c")];
    await createRegistry(s.ctx, {
      id: "priv",
      registry: "priv.example.com",
      type: "basic",
      creds: { username: "u", password: "old-password" },
    });
    for (const ns of spaces) await createDeployment(f, ns, "web", "priv.example.com/web:1");
    const { controller } = await run(s);
    for (const ns of spaces) expect(await readSecret(f, ns, "regcred-priv")).not.toBeNull();

    await updateRegistry(s.ctx, "priv", { creds: { password: "new-password" } });
    await eventually(
      async () =>
        (await recentRuns(f.db, s.cluster.id, 5)).some((r) => r.trigger === "registry" && r.status === "succeeded"),
      "the registry-change pass",
    );
    await controller.manager(s.cluster.id)!.idle();
    const pass = (await recentRuns(f.db, s.cluster.id, 5)).find((r) => r.trigger === "registry")!;
    expect(pass.summary).toMatchObject({ updated: 3, created: 0, errors: 0 });
    for (const ns of spaces) {
      const auth = JSON.parse(decode((await readSecret(f, ns, "regcred-priv"))?.data?.[".dockerconfigjson"])).auths[
        "priv.example.com"
      ];
      expect(auth.password).toBe("new-password");
    }
  });

  it("[delete] deleting a registry removes its secrets and only Regcred's ServiceAccount references", async () => {
    const s = await testScope(f, "del");
    const [a, b] = [await s.namespace("a"), await s.namespace("b")];
    await createRegistry(s.ctx, {
      id: "gone",
      registry: "gone.example.com",
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    await createRegistry(s.ctx, {
      id: "kept",
      registry: "kept.example.com",
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    await f.core.patchNamespacedServiceAccount({
      namespace: a,
      name: "default",
      body: [{ op: "add", path: "/imagePullSecrets", value: [{ name: "mine" }] }],
    });
    await createDeployment(f, a, "web", "gone.example.com/web:1");
    await createDeployment(f, a, "api", "kept.example.com/api:1");
    await createDeployment(f, b, "web", "gone.example.com/web:1");
    await run(s);
    expect(await pullSecretsOf(f, a)).toEqual(["mine", "regcred-gone", "regcred-kept"]);

    await deleteRegistry(s.ctx, "gone");
    await eventually(
      async () =>
        (await readSecret(f, a, "regcred-gone")) === null && (await readSecret(f, b, "regcred-gone")) === null,
      "the secrets to go",
    );
    await eventually(
      async () => JSON.stringify(await pullSecretsOf(f, a)) === JSON.stringify(["mine", "regcred-kept"]),
      "the references to go",
    );
    expect(await pullSecretsOf(f, b)).toEqual([]);
    expect(await readSecret(f, a, "regcred-kept")).not.toBeNull();
  });

  it("[unused] a namespace that stops using a registry keeps its secret for the grace period, then loses it and its reference", async () => {
    const s = await testScope(f, "unused");
    const ns = await s.namespace("app");
    await createRegistry(s.ctx, {
      id: "priv",
      registry: "priv.example.com",
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    await createDeployment(f, ns, "web", "priv.example.com/web:1");
    const { controller } = await run(s, { gracePeriodMs: 3_000 });
    expect(await pullSecretsOf(f, ns)).toEqual(["regcred-priv"]);
    await f.apps.deleteNamespacedDeployment({ namespace: ns, name: "web" });
    const marked = await eventually(async () => {
      const secret = await readSecret(f, ns, "regcred-priv");
      return secret?.metadata?.annotations?.["regcred.dev/unused-since"] && secret;
    }, "the secret to be marked unused");
    expect(marked).not.toBeNull();
    expect(await pullSecretsOf(f, ns)).toEqual(["regcred-priv"]);
    await new Promise((r) => setTimeout(r, 3_200));
    controller.manager(s.cluster.id)!.request("resync");
    await eventually(
      async () => (await readSecret(f, ns, "regcred-priv")) === null,
      "the secret to go after the grace period",
    );
    await eventually(async () => (await pullSecretsOf(f, ns)).length === 0, "the reference to go");
  });

  it("[api] Sync now queues a pass that the leader runs; the status shows progress, per-namespace results and conflicts", async () => {
    const s = await testScope(f, "api");
    const ns = await s.namespace("app");
    await createRegistry(s.ctx, {
      id: "priv",
      registry: "priv.example.com",
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    const { controller } = await run(s);
    await createDeployment(f, ns, "web", "priv.example.com/web:1");
    // The Deployment's watch event gets its namespace reconciled first; Sync now then finds it in step.
    await eventually(() => readSecret(f, ns, "regcred-priv"), "the secret from the watch event");
    await controller.manager(s.cluster.id)!.idle();
    const viewer = { ...s.ctx, actor: actorFor(s.ctx.actor.orgId, "viewer") };
    await expect(requestSync(viewer, s.cluster.id)).rejects.toBeInstanceOf(AppError);
    const queued = await requestSync(s.ctx, s.cluster.name);
    expect(queued).toMatchObject({ status: "queued", cluster_id: s.cluster.id });
    const done = await eventually(async () => {
      const st = await getSyncStatus(viewer, s.cluster.id, queued.id);
      return st.run?.finished_at ? st : null;
    }, "the queued pass to finish");
    expect(done.run).toMatchObject({
      id: queued.id,
      trigger: "manual",
      status: "succeeded",
      requested_by: "test-admin",
      namespaces_done: 2,
      namespaces_total: 2,
    });
    expect(done).toMatchObject({ state: "idle", last_status: "succeeded", last_error: null, conflicts: [] });
    expect(done.namespaces.find((n) => n.namespace === ns)).toMatchObject({ outcome: "ok", secrets: ["regcred-priv"] });
  });

  it("[unreachable] an unreachable cluster is reported on its status and retried, and the process carries on", async () => {
    const s = await testScope(f, "down");
    const port = await freePort();
    const text = kubeconfigWithNamespace(f.adminText, s.home).replace(
      /https:\/\/127\.0\.0\.1:\d+/,
      `https://127.0.0.1:${port}`,
    );
    const down = await createCluster(s.ctx, { name: `down-${s.label}`.slice(0, 60), kubeconfig: text });
    const controller = (await startController(f.db, f.keyring, {
      force: true,
      overrides: {
        instanceId: `test-${s.label}`,
        clusterFilter: (row) => row.id === down.id || row.id === s.cluster.id,
        tickMs: 100,
        debounceMs: 100,
        pollMs: 250,
        leaseDurationMs: 10_000,
      },
    }))!;
    const status = await eventually(async () => {
      const st = await getSyncStatus(s.ctx, down.id);
      return st.last_error ? st : null;
    }, "the failure to be recorded");
    expect(status).toMatchObject({
      last_status: "failed",
      last_error: `cannot take the lease in namespace ${s.home}: connection refused`,
    });
    // The reachable cluster managed by the same controller is unaffected.
    await eventually(async () => controller.manager(s.cluster.id)?.isLeader(), "the other cluster to be led");
    expect(controller.manager(down.id)!.isLeader()).toBe(false);
  });

  it("[conflict] a foreign regcred-* secret is left untouched and reported", async () => {
    const s = await testScope(f, "foreign");
    const ns = await s.namespace("app");
    const foreign = await f.core.createNamespacedSecret({
      namespace: ns,
      body: {
        metadata: { name: "regcred-priv", labels: { team: "theirs" } },
        type: "Opaque",
        data: { token: Buffer.from("theirs").toString("base64") },
      },
    });
    await createRegistry(s.ctx, {
      id: "priv",
      registry: "priv.example.com",
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    await createDeployment(f, ns, "web", "priv.example.com/web:1");
    const { controller } = await run(s);
    const after = await readSecret(f, ns, "regcred-priv");
    expect(after?.metadata?.resourceVersion).toBe(foreign.metadata?.resourceVersion);
    expect(after?.type).toBe("Opaque");
    expect(await pullSecretsOf(f, ns)).toEqual([]);
    const row = (await listNamespaceResults(f.db, s.cluster.id)).find((r) => r.namespace === ns);
    expect(row).toMatchObject({
      outcome: "conflict",
      conflicts: [{ name: "regcred-priv", reason: expect.stringMatching(/not managed by Regcred/) }],
    });
    expect(controller.manager(s.cluster.id)!.status().last?.summary.conflicts).toBe(1);
  });

  it("[restart] the API server restarted in the middle of a sync converges with nothing lost or doubled", async () => {
    const runDir = process.env.REGCRED_PEERS_DIR ?? path.dirname(path.dirname(f.kube.KUBECONFIG_ADMIN));
    const s = await testScope(f, "restart");
    const spaces: string[] = [];
    for (let i = 0; i < 24; i++) spaces.push(await s.namespace(`n${i}`));
    await createRegistry(s.ctx, {
      id: "priv",
      registry: "priv.example.com",
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    for (const ns of spaces) await createDeployment(f, ns, "web", "priv.example.com/web:1");
    let creates = 0;
    let restart: Promise<void> | null = null;
    const clientFor: ControllerOptions["clientFor"] = (row) => {
      const client = clientForCluster(f.keyring, row, { timeoutMs: 5_000 });
      return {
        ...client,
        createSecret: async (w) => {
          // The sixth write of the first pass takes the API server down (SIGKILL, 2 s down, same etcd).
          if (++creates === 6) {
            restart = new Promise<void>((resolve, reject) =>
              execFile(
                path.resolve("scripts/peers/kube-restart-apiserver.sh"),
                [runDir, "--kill"],
                { env: { ...process.env, REGCRED_APISERVER_DOWNTIME: "2" }, timeout: 120_000 },
                (err) => (err ? reject(err) : resolve()),
              ),
            );
            await new Promise((r) => setTimeout(r, 300));
          }
          return client.createSecret(w);
        },
      };
    };
    const started = (await startController(f.db, f.keyring, {
      force: true,
      overrides: {
        instanceId: `test-${s.label}`,
        clusterFilter: (row) => row.id === s.cluster.id,
        clientFor,
        tickMs: 100,
        debounceMs: 100,
        pollMs: 250,
        leaseDurationMs: 15_000,
        resyncMs: 300_000,
        gracePeriodMs: 60_000,
        concurrency: 2,
      },
    }))!;
    await eventually(async () => restart !== null, "the restart to begin");
    await restart;
    const manager = started.manager(s.cluster.id)!;
    const firstPass = await eventually(
      async () =>
        (await recentRuns(f.db, s.cluster.id, 50)).at(-1)?.finishedAt &&
        (await recentRuns(f.db, s.cluster.id, 50)).at(-1),
      "the interrupted pass to end",
      60_000,
    );
    expect(firstPass.status).not.toBe("succeeded");
    await eventually(
      async () => {
        for (const ns of spaces)
          if ((await pullSecretsOf(f, ns)).length === 0 || !(await readSecret(f, ns, "regcred-priv"))) return false;
        return true;
      },
      "every namespace to converge",
      90_000,
    );
    await eventually(async () => manager.isLeader(), "the manager to lead again", 30_000);
    await manager.idle();
    for (const ns of spaces) {
      expect(await pullSecretsOf(f, ns)).toEqual(["regcred-priv"]);
      const listed = await f.core.listNamespacedSecret({
        namespace: ns,
        labelSelector: "app.kubernetes.io/managed-by=regcred",
      });
      expect(listed.items.map((i) => i.metadata?.name)).toEqual(["regcred-priv"]);
    }
    const rows = await listNamespaceResults(f.db, s.cluster.id);
    expect(
      rows
        .filter((r) => spaces.includes(r.namespace))
        .every((r) => r.errors.length === 0 && r.secrets.join() === "regcred-priv"),
    ).toBe(true);
  }, 180_000);

  it("[lease] two instances: one leads and the other runs no pass; a crashed leader is replaced once its lease has expired, a stopped one at once (the follower's writes are counted in leader-exclusivity.test.ts)", async () => {
    const s = await testScope(f, "lease");
    const ns = await s.namespace("app");
    await createRegistry(s.ctx, {
      id: "priv",
      registry: "priv.example.com",
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    await createDeployment(f, ns, "web", "priv.example.com/web:1");
    const installation = await ensureInstallation(f.db);
    const LEASE_NAME = leaseNameFor(installation, s.cluster.id);
    const make = (instanceId: string, leaseDurationMs = 8_000) =>
      new ClusterManager({
        db: f.db,
        keyring: f.keyring,
        installation,
        cluster: s.cluster,
        client: clientForCluster(f.keyring, s.cluster, { timeoutMs: 5_000 }),
        instanceId,
        resyncMs: 300_000,
        gracePeriodMs: 60_000,
        leaseDurationMs,
        timeoutMs: 5_000,
        tickMs: 100,
        debounceMs: 100,
      });
    const a = make("replica-a");
    // b holds the lease for a minute once it leads: c takes over from it only because b releases it.
    const b = make("replica-b", 60_000);
    const c = make("replica-c");
    try {
      a.start();
      await eventually(async () => a.isLeader(), "a to lead");
      b.start();
      await eventually(() => readSecret(f, ns, "regcred-priv"), "the leader's first pass");
      await new Promise((r) => setTimeout(r, 3_000));
      expect(b.isLeader()).toBe(false);
      b.request("manual");
      expect(b.status().passes).toBe(0);
      const { CoordinationV1Api, KubeConfig } = await import("@kubernetes/client-node");
      const kc = new KubeConfig();
      kc.loadFromFile(f.kube.KUBECONFIG_ADMIN);
      const coordination = kc.makeApiClient(CoordinationV1Api);
      expect(
        (await coordination.readNamespacedLease({ namespace: s.home, name: LEASE_NAME })).spec?.holderIdentity,
      ).toBe("replica-a");

      // A crash: a stops renewing without releasing; b takes over only once a's last renewal has expired.
      await a.stop({ release: false });
      const crashed = (await coordination.readNamespacedLease({ namespace: s.home, name: LEASE_NAME })).spec!;
      expect(crashed.holderIdentity).toBe("replica-a");
      await eventually(async () => b.isLeader(), "b to take over", 30_000);
      const later = await s.namespace("later");
      await createDeployment(f, later, "web", "priv.example.com/web:1");
      await eventually(() => readSecret(f, later, "regcred-priv"), "b to sync a new namespace");
      const held = (await coordination.readNamespacedLease({ namespace: s.home, name: LEASE_NAME })).spec!;
      expect(held).toMatchObject({ holderIdentity: "replica-b", leaseTransitions: 1, leaseDurationSeconds: 60 });
      const expiryOf = (spec: typeof held) =>
        new Date(spec.renewTime!).getTime() + (spec.leaseDurationSeconds ?? 0) * 1000;
      expect(new Date(held.acquireTime!).getTime()).toBeGreaterThanOrEqual(expiryOf(crashed));

      // A clean stop releases the lease: c takes it while b's record still had most of its minute to run.
      c.start();
      await eventually(async () => c.status().holder === "replica-b", "c to see b's lease");
      const last = (await coordination.readNamespacedLease({ namespace: s.home, name: LEASE_NAME })).spec!;
      await b.stop();
      await eventually(async () => c.isLeader(), "c to take over");
      const taken = (await coordination.readNamespacedLease({ namespace: s.home, name: LEASE_NAME })).spec!;
      expect(taken).toMatchObject({ holderIdentity: "replica-c", leaseTransitions: 2 });
      expect(new Date(taken.acquireTime!).getTime()).toBeLessThan(expiryOf(last));
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop()]);
    }
  }, 90_000);
});

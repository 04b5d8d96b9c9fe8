import { randomBytes } from "node:crypto";
import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { connectionOf } from "@/lib/clusters/client";
import { homeNamespaceOf } from "@/lib/clusters/client";
import { listClusterRows } from "@/lib/clusters/repo";
import { createCluster } from "@/lib/clusters/service";
import { leaseNameFor } from "@/lib/controller/lease";
import { startController, stopController } from "@/lib/controller/runtime";
import { ensureInstallation } from "@/lib/installation/repo";
import { cachedClusterContents } from "@/lib/sync/signal";
import { eventually } from "./controller-fixture";
import type { Keyring } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors";
import { connect, type KubeRequestInfo } from "@/lib/integrations/kube";
import { createRegistry } from "@/lib/registries/service";
import type { Ctx } from "@/lib/context";
import type { SecretRow, SecretsView } from "@/lib/secrets/schema";
import { getSecretsView } from "@/lib/secrets/service";
import { formatExpiryLabel } from "@/lib/sync/labels";
import { freePort } from "@/test/peers";
import { actorFor, createOrg } from "../helpers/db";
import { type ClusterFixture, openClusterFixture } from "../helpers/cluster-fixture";
import type { KubeEnv } from "../helpers/kube";

let kube: KubeEnv;
let fixture: ClusterFixture | undefined;
let db: Db;
let keyring: Keyring;
let adminText: string;
let core: CoreV1Api;
let apps: AppsV1Api;

const canary = `canary-${randomBytes(12).toString("hex")}`;
const suffix = randomBytes(3).toString("hex");
const ns = { a: `sv-${suffix}-a`, b: `sv-${suffix}-b`, c: `sv-${suffix}-c` };
const ids = { harbor: `harbor-${suffix}`, ecr: `ecr-${suffix}`, ref: `ref-${suffix}`, gone: `gone-${suffix}` };
const hour = 3_600_000;

beforeAll(async () => {
  fixture = await openClusterFixture();
  ({ kube, adminText, db, keyring } = fixture);
  core = fixture.kc.makeApiClient(CoreV1Api);
  apps = fixture.kc.makeApiClient(AppsV1Api);
  await seedCluster();
});

afterAll(async () => {
  await fixture?.close();
});

const b64 = (text: string) => Buffer.from(text).toString("base64");
const dockerconfig = (...hosts: string[]) => ({
  ".dockerconfigjson": b64(
    JSON.stringify({
      auths: Object.fromEntries(
        hosts.map((h) => [h, { username: "robot", password: canary, auth: b64(`robot:${canary}`) }]),
      ),
    }),
  ),
});
const managed = (registry: string, expiresAt?: Date) => ({
  "app.kubernetes.io/managed-by": "regcred",
  "regcred.dev/registry": registry,
  ...(expiresAt ? { "regcred.dev/expires": formatExpiryLabel(expiresAt) } : {}),
});

async function secret(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  data: Record<string, string> = dockerconfig("harbor.example.com"),
  type = "kubernetes.io/dockerconfigjson",
) {
  await core.createNamespacedSecret({ namespace, body: { metadata: { name, labels }, type, data } });
}

// When the seeded secrets were created, and the instant their expiry labels count from.
const seeded = { from: 0, to: 0 };

async function seedCluster(): Promise<void> {
  for (const name of Object.values(ns)) await core.createNamespace({ body: { metadata: { name } } });
  const now = Date.now();
  seeded.from = now;
  await secret(
    ns.a,
    `regcred-${ids.harbor}`,
    managed(ids.harbor, new Date(now + 30 * 24 * hour)),
    dockerconfig("harbor.example.com", "mirror.example.com:5000"),
  );
  await secret(
    ns.a,
    `regcred-${ids.ecr}`,
    managed(ids.ecr, new Date(now + 30 * 60_000)),
    dockerconfig("123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
  );
  await secret(
    ns.a,
    `regcred-${ids.ref}`,
    managed(ids.ref),
    { ".dockercfg": b64(JSON.stringify({ "quay.io": { auth: b64(`robot:${canary}`) } })) },
    "kubernetes.io/dockercfg",
  );
  await secret(ns.b, `regcred-${ids.harbor}`, managed(ids.harbor, new Date(now - hour)));
  await secret(ns.b, `regcred-${ids.gone}`, managed(ids.gone, new Date(now + 30 * 24 * hour)));
  await secret(ns.c, "regcred-manual", {}, dockerconfig("ghcr.io"));
  await secret(ns.c, "other-pull-secret", {});
  await secret(ns.c, "regcred-notes", {}, { note: b64("not a pull secret") }, "Opaque");
  seeded.to = Date.now();
  await core.createNamespacedServiceAccount({
    namespace: ns.a,
    body: { metadata: { name: "builder" }, imagePullSecrets: [{ name: `regcred-${ids.harbor}` }] },
  });
  await apps.createNamespacedDeployment({
    namespace: ns.a,
    body: {
      metadata: { name: "api" },
      spec: {
        selector: { matchLabels: { app: "api" } },
        template: {
          metadata: { labels: { app: "api" } },
          spec: {
            imagePullSecrets: [{ name: `regcred-${ids.harbor}` }, { name: `regcred-${ids.ecr}` }],
            containers: [{ name: "api", image: "harbor.example.com/team/api:1" }],
          },
        },
      },
    },
  });
}

async function orgWithClusters(opts: { down?: boolean } = {}): Promise<Ctx> {
  const orgId = await createOrg(db, "secrets");
  const ctx: Ctx = { db, keyring, actor: actorFor(orgId, "admin") };
  await createCluster(ctx, { name: "prod", kubeconfig: adminText });
  if (opts.down) {
    const closed = `https://127.0.0.1:${await freePort()}`;
    await createCluster(ctx, { name: "down", kubeconfig: adminText.replace(kube.KUBE_API_URL, closed) });
  }
  await createRegistry(ctx, {
    id: ids.harbor,
    registry: "harbor.example.com",
    type: "basic",
    creds: { username: "robot", password: canary },
  });
  await createRegistry(ctx, {
    id: ids.ecr,
    registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
    type: "amazon_ecr",
    creds: { username: "AKIAEXAMPLE", password: canary },
  });
  await createRegistry(ctx, {
    id: ids.ref,
    registry: "quay.io/acme",
    type: "secret_ref",
    secrets: { "*": { namespace: "regcred", secret: "quay-pull" } },
  });
  return ctx;
}

const mine = (view: SecretsView) => view.secrets.filter((r) => Object.values(ns).includes(r.namespace));
const find = (view: SecretsView, namespace: string, name: string) =>
  view.secrets.find((r) => r.namespace === namespace && r.name === name);

describe("secrets view against a real kube-apiserver", () => {
  it("shows every regcred secret with the right status, hosts and references, and no credential", async () => {
    const ctx = await orgWithClusters();
    const view = await getSecretsView({ ...ctx, actor: actorFor(ctx.actor.orgId, "viewer") }, {});
    expect(view.clusters).toEqual([expect.objectContaining({ name: "prod", ok: true, warnings: [] })]);
    const statuses = Object.fromEntries(mine(view).map((r) => [`${r.namespace.slice(-1)}/${r.name}`, r.status]));
    expect(statuses).toEqual({
      [`a/regcred-${ids.harbor}`]: "valid",
      [`a/regcred-${ids.ecr}`]: "expiring_soon",
      [`a/regcred-${ids.ref}`]: "valid",
      [`b/regcred-${ids.harbor}`]: "expired",
      [`b/regcred-${ids.gone}`]: "orphaned",
      "c/regcred-manual": "not_managed",
    });
    const harbor = find(view, ns.a, `regcred-${ids.harbor}`)!;
    expect(harbor).toMatchObject<Partial<SecretRow>>({
      cluster: "prod",
      managed: true,
      type: "kubernetes.io/dockerconfigjson",
      registry: { id: ids.harbor, exists: true, hosts: ["harbor.example.com", "mirror.example.com:5000"] },
      references: { service_accounts: ["builder"], workloads: [{ kind: "Deployment", name: "api" }] },
      notes: [],
    });
    // The label holds whole seconds; the API server stamps creation in whole seconds.
    const second = (ms: number) => Math.floor(ms / 1000) * 1000;
    expect(Date.parse(harbor.expires_at!)).toBe(second(seeded.from + 30 * 24 * hour));
    expect(Date.parse(harbor.created_at!)).toBeGreaterThanOrEqual(second(seeded.from));
    expect(Date.parse(harbor.created_at!)).toBeLessThanOrEqual(seeded.to);
    expect(find(view, ns.a, `regcred-${ids.ecr}`)).toMatchObject({
      status_reason: "less than 1 h of its credential's lifetime is left",
      references: { service_accounts: [], workloads: [{ kind: "Deployment", name: "api" }] },
    });
    expect(find(view, ns.a, `regcred-${ids.ref}`)).toMatchObject({
      type: "kubernetes.io/dockercfg",
      registry: { id: ids.ref, hosts: ["quay.io"] },
      expires_at: null,
    });
    expect(find(view, ns.b, `regcred-${ids.gone}`)).toMatchObject({
      registry: { id: ids.gone, exists: false },
      status_reason: `registry "${ids.gone}" no longer exists in this org`,
    });
    expect(find(view, ns.c, "regcred-manual")).toMatchObject({
      managed: false,
      registry: { id: "manual", exists: false, hosts: ["ghcr.io"] },
    });
    expect(find(view, ns.c, "other-pull-secret")).toBeUndefined();
    expect(find(view, ns.c, "regcred-notes")).toBeUndefined();
    expect(JSON.stringify(view)).not.toContain(canary);
    expect(JSON.stringify(view)).not.toContain(b64(`robot:${canary}`));
  });

  it("filters by status, namespace, registry and search, sorts by expiry, and counts per status", async () => {
    const ctx = await orgWithClusters();
    const expired = await getSecretsView(ctx, { status: "expired,orphaned", namespace: ns.b });
    expect(expired.secrets.map((r) => r.name).sort()).toEqual([`regcred-${ids.gone}`, `regcred-${ids.harbor}`]);
    expect(expired.counts).toEqual({ total: 2, valid: 0, expiring_soon: 0, expired: 1, orphaned: 1, not_managed: 0 });
    const byRegistry = await getSecretsView(ctx, { registry: ids.harbor, sort: "expires" });
    expect(byRegistry.secrets.map((r) => `${r.namespace}/${r.status}`)).toEqual([`${ns.b}/expired`, `${ns.a}/valid`]);
    const search = await getSecretsView(ctx, { q: `${suffix} builder` });
    expect(search.secrets.map((r) => r.name)).toEqual([`regcred-${ids.harbor}`]);
    const namespaceA = await getSecretsView(ctx, { namespace: ns.a, sort: "expires" });
    expect(namespaceA.secrets.map((r) => r.name)).toEqual([
      `regcred-${ids.ecr}`,
      `regcred-${ids.harbor}`,
      `regcred-${ids.ref}`,
    ]);
    expect(namespaceA.counts).toMatchObject({ total: 3, valid: 2, expiring_soon: 1 });
  });

  it("refuses bad filters with a 400 naming the parameter", async () => {
    const ctx = await orgWithClusters();
    const err = await getSecretsView(ctx, { status: "fine" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    expect((err as AppError).fields).toHaveProperty("status");
  });

  it("a cluster that is down shows its error inline while the other cluster's secrets still show", async () => {
    const ctx = await orgWithClusters({ down: true });
    const view = await getSecretsView(ctx, {}, { timeoutMs: 3000 });
    const [down, prod] = view.clusters;
    expect(down).toMatchObject({ name: "down", ok: false, secrets: 0, error: "unreachable: connection refused" });
    expect(prod).toMatchObject({ name: "prod", ok: true });
    expect(mine(view)).toHaveLength(6);
    expect(view.secrets.every((r) => r.cluster === "prod")).toBe(true);
    const onlyDown = await getSecretsView(ctx, { cluster: "down" }, { timeoutMs: 3000 });
    expect(onlyDown.clusters.map((c) => c.name)).toEqual(["down"]);
    expect(onlyDown.secrets).toEqual([]);
  });

  it("one refresh sends a fixed number of all-namespace LISTs per cluster, never one per namespace", async () => {
    const ctx = await orgWithClusters();
    const requests: KubeRequestInfo[] = [];
    const view = await getSecretsView(
      ctx,
      {},
      {
        clientFor: (row, timeoutMs) =>
          connect(connectionOf(keyring, row), { timeoutMs, onRequest: (r) => requests.push(r) }),
      },
    );
    expect(mine(view)).toHaveLength(6);
    const paths = requests.map((r) => `${r.method} ${new URL(r.url).pathname}`).sort();
    // 2 secret LISTs (field and label selector), 1 ServiceAccount LIST, 7 workload kinds (one page each here).
    expect(paths).toEqual(
      [
        "GET /api/v1/pods",
        "GET /api/v1/secrets",
        "GET /api/v1/secrets",
        "GET /api/v1/serviceaccounts",
        "GET /apis/apps/v1/daemonsets",
        "GET /apis/apps/v1/deployments",
        "GET /apis/apps/v1/replicasets",
        "GET /apis/apps/v1/statefulsets",
        "GET /apis/batch/v1/cronjobs",
        "GET /apis/batch/v1/jobs",
      ].sort(),
    );
    const secretQueries = requests
      .filter((r) => r.url.includes("/secrets"))
      .map((r) => Object.fromEntries(new URL(r.url).searchParams));
    expect(secretQueries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ fieldSelector: "type=kubernetes.io/dockerconfigjson" }),
        expect.objectContaining({
          labelSelector: "app.kubernetes.io/managed-by=regcred,regcred.dev/registry",
          fieldSelector: "type!=kubernetes.io/dockerconfigjson",
        }),
      ]),
    );
  });

  it("with the controller in this process (a follower here), a refresh reads its watch-fed cache: no API request, the same rows", async () => {
    const ctx = await orgWithClusters();
    const now = new Date();
    const listed = await getSecretsView(ctx, {}, { now });
    const [row] = await listClusterRows(db, ctx.actor.orgId);
    // Another replica holds the cluster's Lease: this process only keeps its cache warm and writes nothing.
    const now_ = new Date().toISOString();
    const held = await connect(connectionOf(keyring, row!)).createLease({
      namespace: homeNamespaceOf(row!),
      name: leaseNameFor(await ensureInstallation(db), row!.id),
      holderIdentity: "another-replica",
      leaseDurationSeconds: 3600,
      acquireTime: now_,
      renewTime: now_,
      leaseTransitions: 0,
    });
    expect(held.ok).toBe(true);
    try {
      await startController(db, keyring, {
        force: true,
        overrides: { instanceId: `view-${suffix}`, clusterFilter: (r) => r.id === row!.id },
      });
      await eventually(async () => cachedClusterContents(row!.id) !== null, "the controller's cache to sync");
      const requests: KubeRequestInfo[] = [];
      const cached = await getSecretsView(
        ctx,
        {},
        {
          now,
          clientFor: (r, timeoutMs) =>
            connect(connectionOf(keyring, r), { timeoutMs, onRequest: (info) => requests.push(info) }),
        },
      );
      expect(requests).toEqual([]);
      expect(mine(cached)).toHaveLength(6);
      expect(mine(cached)).toEqual(mine(listed));
      expect(cached.clusters.map((c) => ({ ...c, ms: 0 }))).toEqual(listed.clusters.map((c) => ({ ...c, ms: 0 })));
    } finally {
      await stopController();
    }
  });
});

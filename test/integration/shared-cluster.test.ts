import { randomBytes } from "node:crypto";
import { AppsV1Api, CoordinationV1Api, CoreV1Api } from "@kubernetes/client-node";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, type Db, openDatabase } from "@/db/client";
import { auditLog, clusterSync, orgs, syncNamespaces } from "@/db/schema";
import { findClusterRow } from "@/lib/clusters/repo";
import { createCluster } from "@/lib/clusters/service";
import { Controller } from "@/lib/controller/controller";
import { createKeyring, type Keyring } from "@/lib/crypto/secret-box";
import { createRegistry, deleteRegistry, updateRegistry } from "@/lib/registries/service";
import type { Ctx } from "@/lib/context";
import { type AuditedKube, startAuditedKube } from "../helpers/audited-kube";
import { actorFor } from "../helpers/db";
import { eventually } from "./controller-fixture";

// Two Regcred installations (separate databases) share one kube-apiserver whose audit log records every write.
const TEST_LABEL = "regcred-test";
let kube: AuditedKube;
let core: CoreV1Api;
let apps: AppsV1Api;
let leases: CoordinationV1Api;
const controllers: Controller[] = [];
const databases: Database[] = [];

beforeAll(() => {
  kube = startAuditedKube("shared", [
    "- level: Request",
    '  resources: [{group: "", resources: [serviceaccounts]}]',
    "  verbs: [create, update, patch, delete]",
    "- level: Metadata",
    '  resources: [{group: "", resources: [secrets]}, {group: coordination.k8s.io, resources: [leases]}]',
    "  verbs: [create, update, patch, delete]",
  ]);
  ({ core, apps } = kube);
  leases = kube.kc.makeApiClient(CoordinationV1Api);
}, 180_000);

afterAll(async () => {
  await Promise.all(controllers.map((c) => c.stop()));
  await Promise.all(databases.map((d) => d.close()));
  kube?.stop();
});

async function namespace(name: string, label: string, sa = true): Promise<string> {
  await core.createNamespace({ body: { metadata: { name, labels: { [TEST_LABEL]: label } } } });
  if (sa) await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: "default" } } });
  return name;
}

async function deployment(ns: string, name: string, image: string): Promise<void> {
  await apps.createNamespacedDeployment({
    namespace: ns,
    body: {
      metadata: { name },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image }] } },
      },
    },
  });
}

type Installation = { db: Db; keyring: Keyring; ctx: Ctx; clusterId: string; user: string };

async function installation(opts: {
  orgId: string;
  user: string;
  home: string;
  label: string;
  db?: Database;
}): Promise<Installation> {
  const database = opts.db ?? (await openDatabase({}));
  if (!opts.db) databases.push(database);
  const db = database.db;
  const keyring = createKeyring(randomBytes(32));
  await db.insert(orgs).values({ id: opts.orgId, name: opts.orgId }).onConflictDoNothing();
  const ctx: Ctx = { db, keyring, actor: actorFor(opts.orgId, "admin") };
  const { username, kubeconfig } = await kube.identity("default", opts.user, opts.home);
  const created = await createCluster(ctx, {
    name: `shared-${opts.user}`,
    kubeconfig,
    namespace_selector: `${TEST_LABEL}=${opts.label}`,
  });
  return { db, keyring, ctx, clusterId: created.id, user: username };
}

async function startController(i: Installation, instanceId: string): Promise<Controller> {
  const c = new Controller({
    db: i.db,
    keyring: i.keyring,
    instanceId,
    resyncMs: 600_000,
    gracePeriodMs: 600_000,
    leaseDurationMs: 4_000,
    timeoutMs: 5_000,
    tickMs: 100,
    debounceMs: 100,
    pollMs: 250,
    scanMs: 1_000,
    clusterFilter: (row) => row.id === i.clusterId,
  });
  controllers.push(c);
  await c.start();
  return c;
}

/** Regcred's secrets in a namespace, by the registry host their dockerconfigjson holds. */
async function secretsByHost(ns: string): Promise<Map<string, { name: string; labels: Record<string, string> }>> {
  const list = await core.listNamespacedSecret({
    namespace: ns,
    labelSelector: "app.kubernetes.io/managed-by=regcred",
  });
  const out = new Map<string, { name: string; labels: Record<string, string> }>();
  for (const s of list.items) {
    const config = JSON.parse(Buffer.from(s.data?.[".dockerconfigjson"] ?? "", "base64").toString("utf8") || "{}") as {
      auths?: Record<string, unknown>;
    };
    for (const host of Object.keys(config.auths ?? {}))
      out.set(host, { name: s.metadata!.name!, labels: s.metadata!.labels ?? {} });
  }
  return out;
}

const pullSecrets = async (ns: string) =>
  ((await core.readNamespacedServiceAccount({ namespace: ns, name: "default" })).imagePullSecrets ?? []).map(
    (r) => r.name,
  );

function auditEvents(namespaces: readonly string[]) {
  return kube.events().filter((e) => namespaces.includes(e.objectRef?.namespace ?? ""));
}

async function setLegacyLease(namespace: string, spec: Record<string, unknown>): Promise<void> {
  const lease = await leases.readNamespacedLease({ namespace, name: "regcred-controller" });
  // MicroTime needs six fractional digits; the client reads it back as a Date.
  const micro = (d?: Date) => (d ? (new Date(d).toISOString().replace(/Z$/, "000Z") as unknown as Date) : undefined);
  const current = {
    ...lease.spec,
    acquireTime: micro(lease.spec?.acquireTime),
    renewTime: micro(lease.spec?.renewTime),
  };
  await leases.replaceNamespacedLease({
    namespace,
    name: "regcred-controller",
    body: { ...lease, spec: { ...current, ...spec } },
  });
}

describe("shared cluster", () => {
  it("[ownership] two installations, same org and registry id, same namespaces: each serves its own workloads and never writes the other's objects", async () => {
    const label = `shared-${randomBytes(3).toString("hex")}`;
    const home = await namespace(`${label}-home`, label);
    const ns1 = await namespace(`${label}-one`, label);
    const ns2 = await namespace(`${label}-two`, label);
    const orgId = `acme-${label}`;
    const a = await installation({ orgId, user: `${label}-a`, home, label });
    const b = await installation({ orgId, user: `${label}-b`, home, label });
    await createRegistry(a.ctx, {
      id: "priv",
      registry: "a.example.com",
      type: "basic",
      creds: { username: "ua", password: "pa" },
    });
    await createRegistry(b.ctx, {
      id: "priv",
      registry: "b.example.com",
      type: "basic",
      creds: { username: "ub", password: "pb" },
    });
    await deployment(ns1, "web-a", "a.example.com/web:1");
    await deployment(ns1, "web-b", "b.example.com/web:1");
    await deployment(ns2, "only-a", "a.example.com/web:1");
    await startController(a, "install-a-replica");
    await startController(b, "install-b-replica");

    const served = await eventually(
      async () => {
        const m = await secretsByHost(ns1);
        const sa = await pullSecrets(ns1);
        const ha = m.get("a.example.com");
        const hb = m.get("b.example.com");
        return ha &&
          hb &&
          sa.includes(ha.name) &&
          sa.includes(hb.name) &&
          (await secretsByHost(ns2)).has("a.example.com")
          ? { ha, hb }
          : null;
      },
      "both installations' secrets and ServiceAccount entries in the shared namespace",
      60_000,
    );
    expect(served.ha.name).not.toBe(served.hb.name);
    expect(served.ha.labels["regcred.dev/installation"]).toBeTruthy();
    expect(served.hb.labels["regcred.dev/installation"]).toBeTruthy();
    expect(served.ha.labels["regcred.dev/installation"]).not.toBe(served.hb.labels["regcred.dev/installation"]);
    expect(served.ha.labels["regcred.dev/org"]).toBe(orgId);

    // Churn: B rotates its password, A deletes its registry; each pass sees the other's objects.
    await updateRegistry(b.ctx, "priv", { creds: { username: "ub", password: "pb2" } });
    await deleteRegistry(a.ctx, "priv");
    const rotated = Buffer.from("ub:pb2").toString("base64");
    const bContent = async () => {
      const secret = await core.readNamespacedSecret({ namespace: ns1, name: served.hb.name });
      return Buffer.from(secret.data![".dockerconfigjson"]!, "base64").toString();
    };
    await eventually(
      async () => {
        const m = await secretsByHost(ns1);
        const sa = await pullSecrets(ns1);
        const hb = m.get("b.example.com");
        const gone =
          !m.has("a.example.com") && !sa.includes(served.ha.name) && !(await secretsByHost(ns2)).has("a.example.com");
        return gone && hb && sa.includes(hb.name) && (await bContent()).includes(rotated);
      },
      "A's secrets and entries removed, B's kept with its new password",
      60_000,
    );

    // The API server's audit log: no secret was written by both, and every ServiceAccount change is the writer's own.
    const events = auditEvents([ns1, ns2]).filter((e) => e.user.username === a.user || e.user.username === b.user);
    const secretWriters = new Map<string, Set<string>>();
    // A create refused with 409 (both raced for regcred-priv) wrote nothing; every other attempt counts.
    for (const e of events.filter(
      (e) => e.objectRef?.resource === "secrets" && !(e.verb === "create" && e.responseStatus?.code === 409),
    )) {
      const key = `${e.objectRef!.namespace}/${e.objectRef!.name}`;
      secretWriters.set(key, (secretWriters.get(key) ?? new Set()).add(e.user.username));
    }
    const shared = [...secretWriters].filter(([, w]) => w.size > 1).map(([k]) => k);
    expect(
      shared,
      JSON.stringify(
        events
          .filter((e) => shared.includes(`${e.objectRef?.namespace}/${e.objectRef?.name}`))
          .map((e) => [e.verb, e.user.username, e.objectRef?.name, e.responseStatus?.code]),
      ),
    ).toEqual([]);
    expect([...secretWriters.values()].some((w) => w.has(a.user))).toBe(true);
    expect([...secretWriters.values()].some((w) => w.has(b.user))).toBe(true);
    const mine = (user: string) => new Set([...secretWriters].filter(([, w]) => w.has(user)).map(([k]) => k));
    let previous: string[] = [];
    const foreignEdits: string[] = [];
    for (const e of events.filter(
      (e) =>
        e.objectRef?.resource === "serviceaccounts" &&
        e.objectRef.namespace === ns1 &&
        (e.responseStatus?.code ?? 500) < 300,
    )) {
      const next = (e.requestObject?.imagePullSecrets ?? []).map((r) => r.name);
      const changed = [...previous.filter((n) => !next.includes(n)), ...next.filter((n) => !previous.includes(n))];
      for (const n of changed)
        if (!mine(e.user.username).has(`${ns1}/${n}`)) foreignEdits.push(`${e.user.username} changed ${n}`);
      previous = next;
    }
    expect(foreignEdits).toEqual([]);
  }, 200_000);

  it("[upgrades] the previous release's secrets, ServiceAccount entries and Lease are adopted; another installation's are not; no second leader", async () => {
    const label = `upg-${randomBytes(3).toString("hex")}`;
    const home = await namespace(`${label}-home`, label);
    const ns1 = await namespace(`${label}-one`, label);
    const ns2 = await namespace(`${label}-two`, label);
    const orgId = `old-${label}`;
    const database = await openDatabase({});
    databases.push(database);
    const i = await installation({ orgId, user: `${label}-new`, home, label, db: database });
    await createRegistry(i.ctx, {
      id: "priv",
      registry: "priv.example.com",
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    await deployment(ns1, "web", "priv.example.com/web:1");
    await deployment(ns2, "web", "priv.example.com/web:1");
    const row = (await findClusterRow(i.db, orgId, i.clusterId))!;
    // What the previous release left: its secret and entry in ns1 (recorded in its database), another installation's in ns2.
    const auth = Buffer.from("u:p").toString("base64");
    const config = (host: string) =>
      Buffer.from(JSON.stringify({ auths: { [host]: { username: "u", password: "p", auth } } })).toString("base64");
    const legacy = (ns: string, host: string) => ({
      metadata: {
        name: "regcred-priv",
        namespace: ns,
        labels: {
          "app.kubernetes.io/managed-by": "regcred",
          "regcred.dev/registry": "priv",
          "regcred.dev/environment": `${row.name}.${ns}`,
        },
        annotations: {
          "regcred.dev/content-hash": "sha256:legacy",
          "argocd.argoproj.io/compare-options": "IgnoreExtraneous",
        },
      },
      type: "kubernetes.io/dockerconfigjson",
      data: { ".dockerconfigjson": config(host) },
    });
    await core.createNamespacedSecret({ namespace: ns1, body: legacy(ns1, "priv.example.com") });
    const other = await core.createNamespacedSecret({ namespace: ns2, body: legacy(ns2, "other.example.com") });
    for (const ns of [ns1, ns2]) {
      const sa = await core.readNamespacedServiceAccount({ namespace: ns, name: "default" });
      await core.replaceNamespacedServiceAccount({
        namespace: ns,
        name: "default",
        body: { ...sa, imagePullSecrets: [{ name: "regcred-priv" }] },
      });
    }
    const now = new Date();
    await i.db.insert(syncNamespaces).values({
      clusterId: i.clusterId,
      namespace: ns1,
      orgId,
      syncedAt: now,
      outcome: "ok",
      secrets: ["regcred-priv"],
    });
    await i.db
      .insert(clusterSync)
      .values({ clusterId: i.clusterId, orgId, leaseHolder: "old-replica" })
      .onConflictDoUpdate({ target: clusterSync.clusterId, set: { leaseHolder: "old-replica" } });
    const micro = () => new Date().toISOString().replace(/Z$/, "000Z") as unknown as Date;
    await leases.createNamespacedLease({
      namespace: home,
      body: {
        metadata: { name: "regcred-controller" },
        spec: {
          holderIdentity: "old-replica",
          leaseDurationSeconds: 3,
          acquireTime: micro(),
          renewTime: micro(),
          leaseTransitions: 0,
        },
      },
    });
    // The old replica keeps renewing its Lease: the new code must not lead meanwhile.
    let renewing = true;
    const renew = (async () => {
      while (renewing) {
        await setLegacyLease(home, { renewTime: micro() }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const c = await startController(i, "new-replica");
    await new Promise((r) => setTimeout(r, 8_000));
    expect(c.manager(i.clusterId)?.isLeader()).toBe(false);
    expect(
      (await core.readNamespacedSecret({ namespace: ns1, name: "regcred-priv" })).metadata?.labels?.[
        "regcred.dev/installation"
      ],
    ).toBeUndefined();
    // The old replica shuts down and releases its Lease, as the previous release does on SIGTERM.
    renewing = false;
    await renew;
    await setLegacyLease(home, { holderIdentity: undefined, leaseDurationSeconds: 1 });

    const adopted = await eventually(
      async () => {
        const s = await core.readNamespacedSecret({ namespace: ns1, name: "regcred-priv" });
        return s.metadata?.labels?.["regcred.dev/installation"] ? s : null;
      },
      "the previous release's secret adopted",
      60_000,
    );
    expect(adopted.metadata?.labels?.["regcred.dev/org"]).toBe(orgId);
    // The legacy Lease is now held by the new leader, so an old replica still running cannot lead beside it.
    const legacyLease = await leases.readNamespacedLease({ namespace: home, name: "regcred-controller" });
    expect(legacyLease.spec?.holderIdentity).toBe("new-replica");
    const held = await leases.listNamespacedLease({ namespace: home });
    expect(
      held.items.some(
        (l) =>
          l.metadata?.name !== "regcred-controller" &&
          l.metadata!.name!.includes(i.clusterId) &&
          l.spec?.holderIdentity === "new-replica",
      ),
    ).toBe(true);
    // ns2's legacy secret is another installation's: left untouched, reported, and this installation uses its own name there.
    await eventually(
      async () => {
        const m = await secretsByHost(ns2);
        const sa = await pullSecrets(ns2);
        const own = m.get("priv.example.com");
        return own && own.name !== "regcred-priv" && sa.includes(own.name) && sa.includes("regcred-priv");
      },
      "a secret of its own beside the other installation's in ns2",
      60_000,
    );
    const untouched = await core.readNamespacedSecret({ namespace: ns2, name: "regcred-priv" });
    expect(untouched.metadata?.resourceVersion).toBe(other.metadata?.resourceVersion);
    const entries = await i.db.select().from(auditLog).where(eq(auditLog.orgId, orgId));
    const adoptions = entries.filter((e) => e.action === "cluster.adopt");
    expect(adoptions.map((e) => e.actor)).toContain("system");
    expect(adoptions.map((e) => e.target)).toContain(`${ns1}/secret/regcred-priv`);
    expect(adoptions.map((e) => e.target)).not.toContain(`${ns2}/secret/regcred-priv`);
    expect(adoptions.map((e) => e.target)).toContain(`${ns1}/serviceaccount/default:regcred-priv`);
    expect(adoptions.map((e) => e.target)).toContain(`lease/${home}/regcred-controller`);
    // ns2's entry for the other installation's secret stays, unrecorded by this installation.
    const sa2 = await core.readNamespacedServiceAccount({ namespace: ns2, name: "default" });
    expect(
      JSON.parse(
        Object.entries(sa2.metadata?.annotations ?? {}).find(([k]) => k.startsWith("regcred.dev/pull-secrets."))?.[1] ??
          "{}",
      )[orgId],
    ).not.toContain("regcred-priv");
  }, 200_000);
});

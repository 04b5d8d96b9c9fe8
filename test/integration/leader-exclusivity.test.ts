import { randomBytes } from "node:crypto";
import { CoordinationV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { orgs } from "@/db/schema";
import { createCluster } from "@/lib/clusters/service";
import { Controller } from "@/lib/controller/controller";
import { leaseNameFor } from "@/lib/controller/lease";
import { requestSync } from "@/lib/sync/service";
import { createKeyring } from "@/lib/crypto/secret-box";
import { ensureInstallation } from "@/lib/installation/repo";
import { connect } from "@/lib/integrations/kube";
import type { Ctx } from "@/lib/context";
import { createRegistry, updateRegistry } from "@/lib/registries/service";
import { type AuditedKube, type AuditEvent, startAuditedKube, WRITE_VERBS } from "../helpers/audited-kube";
import { actorFor, backends } from "../helpers/db";
import { eventually } from "./controller-fixture";

// Two replicas of one installation (one database, so one Lease for the cluster) against an API server whose
// audit log records every request each replica makes under its own ServiceAccount: the follower's writes are
// counted there, not by anything Regcred reports about itself.
const REPLICAS = "regcred-replicas";
const TEST_LABEL = "regcred-test";
let kube: AuditedKube;
let database: Database;
const controllers: Controller[] = [];

beforeAll(async () => {
  kube = startAuditedKube("leader", ["- level: Metadata", `  userGroups: ["system:serviceaccounts:${REPLICAS}"]`]);
  await kube.core.createNamespace({ body: { metadata: { name: REPLICAS } } });
  database = await backends[0]!.open();
}, 180_000);

afterAll(async () => {
  await Promise.all(controllers.map((c) => c.stop()));
  await database?.close();
  kube?.stop();
});

async function namespace(name: string, label: string): Promise<string> {
  await kube.core.createNamespace({ body: { metadata: { name, labels: { [TEST_LABEL]: label } } } });
  await kube.core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: "default" } } });
  return name;
}

async function deployment(ns: string, image: string): Promise<void> {
  await kube.apps.createNamespacedDeployment({
    namespace: ns,
    body: {
      metadata: { name: "web" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image }] } },
      },
    },
  });
}

const passwordIn = async (ns: string) => {
  const secret = await kube.core.readNamespacedSecret({ namespace: ns, name: "regcred-priv" }).catch(() => null);
  const config = Buffer.from(secret?.data?.[".dockerconfigjson"] ?? "", "base64").toString() || "{}";
  return (JSON.parse(config) as { auths?: Record<string, { password?: string }> }).auths?.["priv.example.com"]
    ?.password;
};

const describeEvent = (e: AuditEvent) =>
  `${e.requestReceivedTimestamp} ${e.verb} ${e.objectRef?.resource}/${e.objectRef?.namespace}/${e.objectRef?.name} → ${e.responseStatus?.code}`;

describe("leader exclusivity", () => {
  it("[lease] two replicas of one installation: the follower makes no write at all, counted in the API server's audit log; after a hand-over the roles swap without a re-list", async () => {
    const label = `lead-${randomBytes(3).toString("hex")}`;
    const home = await namespace(`${label}-home`, label);
    const ns1 = await namespace(`${label}-one`, label);
    const ns2 = await namespace(`${label}-two`, label);
    const a = await kube.identity(REPLICAS, "replica-a", home);
    const b = await kube.identity(REPLICAS, "replica-b", home);

    const db = database.db;
    const keyring = createKeyring(randomBytes(32));
    const orgId = `org-${label}`;
    await db.insert(orgs).values({ id: orgId, name: orgId });
    const ctx: Ctx = { db, keyring, actor: actorFor(orgId, "admin") };
    // The stored connection is replica A's; each replica below reaches the cluster as itself.
    const cluster = await createCluster(ctx, {
      name: label,
      kubeconfig: a.kubeconfig,
      namespace_selector: `${TEST_LABEL}=${label}`,
    });
    await createRegistry(ctx, {
      id: "priv",
      registry: "priv.example.com",
      type: "basic",
      creds: { username: "u", password: "first" },
    });
    await deployment(ns1, "priv.example.com/web:1");

    const replica = async (instanceId: string, kubeconfig: string) => {
      const c = new Controller({
        db,
        keyring,
        instanceId,
        clientFor: () => connect({ kind: "kubeconfig", kubeconfig }, { timeoutMs: 5_000 }),
        clusterFilter: (row) => row.id === cluster.id,
        resyncMs: 600_000,
        gracePeriodMs: 600_000,
        leaseDurationMs: 4_000,
        timeoutMs: 5_000,
        tickMs: 100,
        debounceMs: 100,
        pollMs: 250,
        scanMs: 1_000,
      });
      controllers.push(c);
      await c.start();
      return c;
    };
    const writesBy = (username: string) =>
      kube.events().filter((e) => e.user.username === username && WRITE_VERBS.includes(e.verb));
    const readsOfTheLeaseBy = (username: string) =>
      kube
        .events()
        .filter((e) => e.user.username === username && e.verb === "get" && e.objectRef?.resource === "leases");

    const ctlA = await replica("replica-a", a.kubeconfig);
    await eventually(async () => ctlA.manager(cluster.id)?.isLeader(), "replica A to lead");
    await eventually(async () => (await passwordIn(ns1)) === "first", "replica A's first pass");
    const ctlB = await replica("replica-b", b.kubeconfig);
    const followerReads = readsOfTheLeaseBy(b.username).length;

    // Everything that asks for a pass, while B follows: new workloads, a credential change, "Sync now" from the
    // API (both replicas poll the queue) and a request made on B's own manager.
    await deployment(ns2, "priv.example.com/web:1");
    await updateRegistry(ctx, "priv", { creds: { password: "second" } });
    await requestSync(ctx, cluster.id);
    ctlB.manager(cluster.id)?.request("manual");
    await eventually(
      async () => (await passwordIn(ns1)) === "second" && (await passwordIn(ns2)) === "second",
      "replica A to apply every change",
    );
    // B kept trying to take the lease all along (each try is a read the audit log records under B's name).
    await eventually(async () => readsOfTheLeaseBy(b.username).length >= followerReads + 5, "B to poll the lease");
    expect(ctlB.manager(cluster.id)?.isLeader()).toBe(false);

    const leaderWrites = writesBy(a.username);
    expect([...new Set(leaderWrites.map((e) => e.objectRef?.resource))]).toEqual(
      expect.arrayContaining(["leases", "secrets", "serviceaccounts"]),
    );
    expect(writesBy(b.username).map(describeEvent)).toEqual([]);

    // The follower keeps its watch-fed cache warm: one LIST per collection when it started, none on taking over.
    const listsBy = (username: string) =>
      kube.events().filter((e) => e.user.username === username && e.verb === "list");
    await eventually(async () => ctlB.manager(cluster.id)?.clusterCache()?.synced, "B's cache to sync");
    expect(listsBy(b.username)).toHaveLength(11);

    // A clean stop hands the Lease over: B leads and writes; A's writes all came before B's first.
    await ctlA.stop();
    await deployment(await namespace(`${label}-three`, label), "priv.example.com/web:1");
    await eventually(async () => ctlB.manager(cluster.id)?.isLeader(), "replica B to take over");
    await eventually(
      async () => (await passwordIn(`${label}-three`)) === "second",
      "replica B to serve the new namespace",
    );
    const lease = await kube.kc
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ namespace: home, name: leaseNameFor(await ensureInstallation(db), cluster.id) });
    expect(lease.spec?.holderIdentity).toBe("replica-b");
    const lastOfA = writesBy(a.username).at(-1)!;
    const firstOfB = writesBy(b.username)[0]!;
    expect(firstOfB.requestReceivedTimestamp > lastOfA.requestReceivedTimestamp).toBe(true);
    expect(writesBy(b.username).some((e) => e.objectRef?.resource === "secrets")).toBe(true);
    expect(listsBy(b.username).map(describeEvent)).toHaveLength(11);
  }, 180_000);
});

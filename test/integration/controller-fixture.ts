import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { AppsV1Api, CoreV1Api, KubeConfig, loadYaml } from "@kubernetes/client-node";
import type { Database, Db } from "@/db/client";
import type { Controller, ControllerOptions } from "@/lib/controller/controller";
import type { ClusterManager } from "@/lib/controller/manager";
import { startController } from "@/lib/controller/runtime";
import { findClusterRow, type ClusterRow } from "@/lib/clusters/repo";
import { createCluster } from "@/lib/clusters/service";
import { createKeyring, type Keyring } from "@/lib/crypto/secret-box";
import type { Ctx } from "@/lib/context";
import { actorFor, backends, createOrg, uniqueId } from "../helpers/db";
import { ensureKube, type KubeEnv } from "../helpers/kube";

export type Fixture = {
  kube: KubeEnv;
  stopKube: () => void;
  adminText: string;
  core: CoreV1Api;
  apps: AppsV1Api;
  database: Database;
  db: Db;
  keyring: Keyring;
};

/** `started`: an API server this test started itself (e.g. with an admission configuration); default: the run's. */
export async function openFixture(started: { env: KubeEnv; stop: () => void } = ensureKube()): Promise<Fixture> {
  const kc = new KubeConfig();
  kc.loadFromFile(started.env.KUBECONFIG_ADMIN);
  const database = await backends[0]!.open();
  return {
    kube: started.env,
    stopKube: started.stop,
    adminText: fs.readFileSync(started.env.KUBECONFIG_ADMIN, "utf8"),
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    database,
    db: database.db,
    keyring: createKeyring(randomBytes(32)),
  };
}

/** The admin kubeconfig with its context's namespace set (the cluster's home namespace, where the lease lives). */
export function kubeconfigWithNamespace(text: string, namespace: string): string {
  const doc = loadYaml<{ contexts: Array<{ context: Record<string, unknown> }> }>(text);
  for (const c of doc.contexts) c.context.namespace = namespace;
  return JSON.stringify(doc);
}

export type TestScope = {
  ctx: Ctx;
  /** Label value every namespace of this test carries; the cluster's selector selects only them. */
  label: string;
  cluster: ClusterRow;
  home: string;
  namespace: (suffix?: string) => Promise<string>;
};

export const TEST_LABEL = "regcred-test";

/** A fresh org, a home namespace, and a cluster row scoped (by namespace selector) to this test's namespaces only. */
export async function testScope(f: Fixture, name = "ctl"): Promise<TestScope> {
  const orgId = await createOrg(f.db, name);
  const ctx: Ctx = { db: f.db, keyring: f.keyring, actor: actorFor(orgId, "admin") };
  const label = uniqueId(name).slice(0, 40);
  const namespace = async (suffix = "ns") => {
    const ns = `${label}-${suffix}`.slice(0, 63).replace(/-+$/, "");
    await f.core.createNamespace({ body: { metadata: { name: ns, labels: { [TEST_LABEL]: label } } } });
    await f.core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: "default" } } });
    return ns;
  };
  const home = await namespace("home");
  const created = await createCluster(ctx, {
    name: `${name}-${randomBytes(3).toString("hex")}`,
    kubeconfig: kubeconfigWithNamespace(f.adminText, home),
    namespace_selector: `${TEST_LABEL}=${label}`,
  });
  const cluster = (await findClusterRow(f.db, orgId, created.id))!;
  return { ctx, label, cluster, home, namespace };
}

export async function createDeployment(
  f: Fixture,
  namespace: string,
  name: string,
  image: string,
  extra: { serviceAccountName?: string } = {},
): Promise<void> {
  await f.apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image }], ...extra } },
      },
    },
  });
}

export async function readSecret(f: Fixture, namespace: string, name: string) {
  try {
    return await f.core.readNamespacedSecret({ namespace, name });
  } catch (err) {
    if ((err as { code?: number }).code === 404) return null;
    throw err;
  }
}

export async function pullSecretsOf(f: Fixture, namespace: string, sa = "default"): Promise<string[]> {
  const read = await f.core.readNamespacedServiceAccount({ namespace, name: sa });
  return (read.imagePullSecrets ?? []).map((r) => r.name ?? "");
}

export async function eventually<T>(
  fn: () => Promise<T | null | undefined | false>,
  what: string,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const decode = (b64: string | undefined) => Buffer.from(b64 ?? "", "base64").toString("utf8");

/**
 * The in-process controller over this test's cluster only, with short ticks; resolves once its manager leads and has
 * finished its first pass. `overrides` win over the test defaults (e.g. ecrEndpoint, clock, gracePeriodMs).
 */
export async function startTestController(
  f: Fixture,
  scope: TestScope,
  overrides: Partial<ControllerOptions> = {},
): Promise<{ controller: Controller; manager: ClusterManager }> {
  const controller = (await startController(f.db, f.keyring, {
    force: true,
    overrides: {
      instanceId: `test-${scope.label}`,
      clusterFilter: (row) => row.id === scope.cluster.id,
      tickMs: 100,
      debounceMs: 100,
      pollMs: 250,
      leaseDurationMs: 10_000,
      resyncMs: 300_000,
      gracePeriodMs: 60_000,
      ...overrides,
    },
  }))!;
  const manager = await eventually(
    async () => controller.manager(scope.cluster.id)?.isLeader() && controller.manager(scope.cluster.id),
    "the manager to lead",
  );
  await eventually(async () => manager.status().passes > 0, "the first pass");
  await manager.idle();
  return { controller, manager };
}

import fs from "node:fs";
import { connect } from "@/lib/integrations/kube";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileCluster, type ReconcileDeps } from "@/lib/controller/reconcile";
import { listNamespaceResults } from "@/lib/sync/repo";
import { createRegistry } from "@/lib/registries/service";
import { findClusterRow } from "@/lib/clusters/repo";
import { updateCluster } from "@/lib/clusters/service";
import {
  createDeployment,
  decode,
  type Fixture,
  openFixture,
  pullSecretsOf,
  readSecret,
  testScope,
} from "./controller-fixture";

let f: Fixture;
const requests: string[] = [];

beforeAll(async () => {
  f = await openFixture();
});
afterAll(async () => {
  await f?.database.close();
  f?.stopKube();
});

function deps(): ReconcileDeps {
  const client = connect(
    { kind: "kubeconfig", kubeconfig: fs.readFileSync(f.kube.KUBECONFIG_ADMIN, "utf8") },
    {
      onRequest: ({ method, url }) =>
        void requests.push(
          `${method} ${new URL(url).pathname}${new URL(url).searchParams.get("continue") ? " (next page)" : ""}`,
        ),
    },
  );
  return {
    db: f.db,
    keyring: f.keyring,
    client,
    now: () => new Date(),
    gracePeriodMs: 60_000,
    timeoutMs: 10_000,
    instanceId: "test",
  };
}

describe("reconcileCluster", () => {
  it("creates a basic registry's secret where a Deployment uses it, wires the ServiceAccount, and then writes nothing", async () => {
    const s = await testScope(f, "rec");
    const ns = await s.namespace("app");
    const idle = await s.namespace("idle");
    await createRegistry(s.ctx, {
      id: "private",
      registry: "registry.example.com",
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    await createDeployment(f, ns, "web", "registry.example.com/team/web:1");
    await f.core.createNamespacedServiceAccount({
      namespace: ns,
      body: { metadata: { name: "other" }, imagePullSecrets: [{ name: "foreign" }] },
    });
    await f.core.patchNamespacedServiceAccount({
      namespace: ns,
      name: "default",
      body: [{ op: "add", path: "/imagePullSecrets", value: [{ name: "foreign" }] }],
    });

    const first = await reconcileCluster(deps(), s.cluster, { trigger: "manual" });
    expect(first).toMatchObject({ status: "succeeded", error: null });
    expect(first.summary).toMatchObject({ created: 1, serviceAccounts: 1, conflicts: 0 });
    const secret = await readSecret(f, ns, "regcred-private");
    expect(secret?.type).toBe("kubernetes.io/dockerconfigjson");
    expect(secret?.metadata?.labels).toMatchObject({
      "regcred.dev/registry": "private",
      "app.kubernetes.io/managed-by": "regcred",
      "regcred.dev/environment": `${s.cluster.name}.${ns}`,
    });
    expect(JSON.parse(decode(secret?.data?.[".dockerconfigjson"])).auths["registry.example.com"]).toMatchObject({
      username: "u",
      password: "p",
    });
    expect(await pullSecretsOf(f, ns)).toEqual(["foreign", "regcred-private"]);
    expect(await pullSecretsOf(f, ns, "other")).toEqual(["foreign"]);
    expect(await readSecret(f, idle, "regcred-private")).toBeNull();

    const before = requests.length;
    const second = await reconcileCluster(deps(), s.cluster, { trigger: "resync" });
    expect(second.summary).toMatchObject({ created: 0, updated: 0, serviceAccounts: 0 });
    // Nothing written, and nothing read per namespace: one LIST per kind (plus further pages on a busy test cluster).
    const made = requests.slice(before).filter((r) => !r.endsWith("(next page)"));
    expect(made.every((r) => r.startsWith("GET ") && !r.includes("/namespaces/"))).toBe(true);
    expect(made).toHaveLength(11);
    const rows = await listNamespaceResults(f.db, s.cluster.id);
    expect(rows.find((r) => r.namespace === ns)).toMatchObject({
      outcome: "ok",
      secrets: ["regcred-private"],
      changes: [{ op: "create" }, { op: "patch-sa" }],
    });
  });
});

describe("secret_ref sources", () => {
  it("[finding] a manager's secret_ref pointing at an Opaque secret in kube-system is not copied into workload namespaces; the refusal is in the sync status", async () => {
    const s = await testScope(f, "refsteal");
    const ns = await s.namespace("app");
    const canary = `canary-${Math.random().toString(36).slice(2)}`;
    const name = `stolen-${s.label}`.slice(0, 60);
    await f.core.createNamespacedSecret({
      namespace: "kube-system",
      body: { metadata: { name }, type: "Opaque", stringData: { token: canary } },
    });
    try {
      const manager = { ...s.ctx, actor: { ...s.ctx.actor, role: "manager" as const } };
      await createRegistry(manager, {
        id: "steal",
        registry: "steal.example.com",
        type: "secret_ref",
        secrets: { "*": { namespace: "kube-system", secret: name } },
      });
      await createDeployment(f, ns, "web", "steal.example.com/team/web:1");
      const result = await reconcileCluster(deps(), s.cluster, { trigger: "manual" });
      expect(await readSecret(f, ns, "regcred-steal")).toBeNull();
      expect(JSON.stringify(result)).not.toContain(canary);
      const row = (await listNamespaceResults(f.db, s.cluster.id)).find((r) => r.namespace === ns);
      expect(row?.errors.join("\n")).toContain("kube-system is not in this cluster's secret_ref namespaces");
    } finally {
      await f.core.deleteNamespacedSecret({ namespace: "kube-system", name });
    }
  });

  it("an allowed source namespace still copies only a kubernetes.io/dockerconfigjson source: an Opaque one is reported and nothing is written", async () => {
    const s = await testScope(f, "refopaque");
    const src = await s.namespace("src");
    const ns = await s.namespace("app");
    await updateCluster(s.ctx, s.cluster.id, { secret_ref_namespaces: [src] });
    const cluster = (await findClusterRow(f.db, s.ctx.actor.orgId, s.cluster.id))!;
    await f.core.createNamespacedSecret({
      namespace: src,
      body: { metadata: { name: "opaque" }, type: "Opaque", stringData: { token: "not-a-pull-secret" } },
    });
    await f.core.createNamespacedSecret({
      namespace: src,
      body: {
        metadata: { name: "pull" },
        type: "kubernetes.io/dockerconfigjson",
        stringData: { ".dockerconfigjson": JSON.stringify({ auths: { "ok.example.com": { auth: "dTpw" } } }) },
      },
    });
    await createRegistry(s.ctx, {
      id: "opaque",
      registry: "opaque.example.com",
      type: "secret_ref",
      secrets: { "*": { namespace: src, secret: "opaque" } },
    });
    await createRegistry(s.ctx, {
      id: "pull",
      registry: "ok.example.com",
      type: "secret_ref",
      secrets: { "*": { namespace: src, secret: "pull" } },
    });
    await createDeployment(f, ns, "web", "opaque.example.com/team/web:1");
    await createDeployment(f, ns, "api", "ok.example.com/team/api:1");
    await reconcileCluster(deps(), cluster, { trigger: "manual" });
    expect(await readSecret(f, ns, "regcred-opaque")).toBeNull();
    const copied = await readSecret(f, ns, "regcred-pull");
    expect(copied?.type).toBe("kubernetes.io/dockerconfigjson");
    expect(Object.keys(copied?.data ?? {})).toEqual([".dockerconfigjson"]);
    const row = (await listNamespaceResults(f.db, s.cluster.id)).find((r) => r.namespace === ns);
    expect(row?.errors.join("\n")).toContain(
      `regcred-opaque: credentials unavailable: the source secret ${src}/opaque is of type Opaque, not kubernetes.io/dockerconfigjson; nothing is copied`,
    );
  });
});

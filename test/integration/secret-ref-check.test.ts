import { type Stopper, startPeersOnce } from "../helpers/peer-setup";
import { randomBytes } from "node:crypto";
import { CoreV1Api } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createCluster } from "@/lib/clusters/service";
import { testStoredRegistry, testUnsavedRegistry } from "@/lib/credential-checks/service";
import type { CheckResult } from "@/lib/credential-checks/types";
import type { Keyring } from "@/lib/crypto/secret-box";
import { createRegistry } from "@/lib/registries/service";
import type { Ctx } from "@/lib/context";
import { createTestPki, freePort, type RegistryPeer, startRegistry, type TestPki } from "@/test/peers";
import { actorFor, createOrg } from "../helpers/db";
import { type ClusterFixture, openClusterFixture } from "../helpers/cluster-fixture";
import type { KubeEnv } from "../helpers/kube";

// Canaries: the passwords in the source secrets must never appear in a result.
const alicePassword = `canary-alice-${randomBytes(12).toString("hex")}`;
const wrongPassword = `canary-wrong-${randomBytes(12).toString("hex")}`;
const hubPassword = `canary-hub-${randomBytes(12).toString("hex")}`;
const suffix = randomBytes(3).toString("hex");
const namespace = `sr-${suffix}`;

let kube: KubeEnv;
let fixture: ClusterFixture | undefined;
let db: Db;
let keyring: Keyring;
let adminText: string;
let core: CoreV1Api;
let pki: TestPki;
let registry: RegistryPeer;
const stoppers: Stopper[] = [];

const b64 = (text: string) => Buffer.from(text).toString("base64");
const dockerconfig = (auths: Record<string, { username: string; password: string }>) => ({
  ".dockerconfigjson": b64(
    JSON.stringify({
      auths: Object.fromEntries(
        Object.entries(auths).map(([h, c]) => [h, { ...c, auth: b64(`${c.username}:${c.password}`) }]),
      ),
    }),
  ),
});

async function seed(): Promise<void> {
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  const put = (name: string, data: Record<string, string>, type = "kubernetes.io/dockerconfigjson") =>
    core.createNamespacedSecret({ namespace, body: { metadata: { name }, type, data } });
  await put(
    "pull-good",
    dockerconfig({
      [registry.host]: { username: "alice", password: alicePassword },
      "ghcr.io": { username: "x", password: wrongPassword },
    }),
  );
  await put("pull-wrong", dockerconfig({ [registry.host]: { username: "alice", password: wrongPassword } }));
  await put(
    "pull-https",
    dockerconfig({ [`https://${registry.host}/v2/`]: { username: "alice", password: alicePassword } }),
  );
  await put("pull-other-host", dockerconfig({ "ghcr.io": { username: "alice", password: alicePassword } }));
  await put("pull-opaque", { password: b64(alicePassword) }, "Opaque");
  await put(
    "pull-hub",
    dockerconfig({ "https://index.docker.io/v1/": { username: "hubuser", password: hubPassword } }),
  );
}

startPeersOnce(
  stoppers,
  async () => {
    fixture = await openClusterFixture();
    stoppers.push(() => fixture?.close());
    ({ kube, adminText, db, keyring } = fixture);
    core = fixture.kc.makeApiClient(CoreV1Api);
    pki = await createTestPki();
    stoppers.push(pki.remove);
    registry = await startRegistry({
      name: "secret-ref",
      tls: pki.server,
      auth: { htpasswd: { alice: alicePassword } },
    });
    stoppers.push(registry.stop);
    await seed();
  },
  180_000,
);

async function orgWith(clusters: string[], opts: { down?: string; allowed?: string[] } = {}): Promise<Ctx> {
  const orgId = await createOrg(db, "secretref");
  const ctx: Ctx = { db, keyring, actor: actorFor(orgId, "admin") };
  const secret_ref_namespaces = opts.allowed ?? [namespace];
  for (const name of clusters) await createCluster(ctx, { name, kubeconfig: adminText, secret_ref_namespaces });
  if (opts.down)
    await createCluster(ctx, {
      name: opts.down,
      kubeconfig: adminText.replace(kube.KUBE_API_URL, `https://127.0.0.1:${await freePort()}`),
      secret_ref_namespaces,
    });
  return ctx;
}

let n = 0;
async function check(
  ctx: Ctx,
  secrets: Record<string, { namespace: string; secret: string }>,
  opts: { ca?: boolean; registry?: string } = {},
): Promise<CheckResult> {
  const id = `ref-${suffix}-${++n}`;
  await createRegistry(ctx, {
    id,
    registry: opts.registry ?? registry.host,
    type: "secret_ref",
    secrets,
    ...(opts.ca === false ? {} : { ca_cert: pki.ca.cert }),
  });
  const result = await testStoredRegistry(ctx, id);
  const json = JSON.stringify(result);
  expect(json).not.toContain(alicePassword);
  expect(json).not.toContain(wrongPassword);
  expect(json).not.toContain(hubPassword);
  expect(json).not.toContain(b64(`alice:${alicePassword}`));
  return result;
}

const ref = (secret: string) => ({ namespace, secret });
const stepsOf = (r: CheckResult) => r.steps.map((s) => `${s.ok ? "✓" : "✗"} ${s.step} ${s.detail.split(":")[0]}`);

describe("secret_ref credential check against a real kube-apiserver and registry", () => {
  it("valid in every cluster * covers: source secret found, auths entry matches, v2 login accepted", async () => {
    const ctx = await orgWith(["prod", "staging"]);
    const r = await check(ctx, { "*": ref("pull-good") });
    expect(r).toMatchObject({
      status: "valid",
      failedStep: null,
      summary: "source secrets accepted by the registry in all 2 clusters: prod, staging",
    });
    expect(r.steps.filter((s) => s.step === "secret").map((s) => s.detail)).toEqual([
      `prod: ${namespace}/pull-good is kubernetes.io/dockerconfigjson; auths entry "${registry.host}" matches ${registry.host}`,
      `staging: ${namespace}/pull-good is kubernetes.io/dockerconfigjson; auths entry "${registry.host}" matches ${registry.host}`,
    ]);
    expect(r.steps.every((s) => s.ok)).toBe(true);
    expect(r.proven).toContain(`prod: Basic login as alice to ${registry.host}`);
    expect(r.proven).toContain("staging:");
  });

  it("a cluster-specific key beats *: wrong credentials in that cluster make the whole check invalid", async () => {
    const ctx = await orgWith(["prod", "staging"]);
    const r = await check(ctx, { "*": ref("pull-good"), staging: ref("pull-wrong") });
    expect(r.status).toBe("invalid");
    expect(r.failedStep).toBe("auth");
    expect(r.summary).toMatch(/^staging: .*; valid in prod$/);
    expect(stepsOf(r)).toContain("✗ auth staging");
  });

  it("an auths key with a scheme and /v2/ matches like the kubelet's", async () => {
    const ctx = await orgWith(["prod"]);
    expect(await check(ctx, { prod: ref("pull-https") })).toMatchObject({ status: "valid" });
  });

  it.each([
    ["a missing source secret", "pull-missing", `prod: source secret ${namespace}/pull-missing not found`],
    [
      "a source secret of the wrong type",
      "pull-opaque",
      `prod: source secret ${namespace}/pull-opaque is of type Opaque, not kubernetes.io/dockerconfigjson`,
    ],
    ["no auths entry for the registry", "pull-other-host", `has no auths entry matching`],
  ])("%s is invalid at the secret step", async (_name, secret, summary) => {
    const ctx = await orgWith(["prod"]);
    const r = await check(ctx, { "*": ref(secret) });
    expect(r).toMatchObject({ status: "invalid", failedStep: "secret" });
    expect(r.summary).toContain(summary);
  });

  it("uses the registry's stored CA: without it the TLS step fails", async () => {
    const ctx = await orgWith(["prod"]);
    const r = await check(ctx, { "*": ref("pull-good") }, { ca: false });
    expect(r).toMatchObject({ status: "unreachable", failedStep: "tls" });
  });

  it("a cluster that is down is unreachable at the cluster step; the others are still checked", async () => {
    const ctx = await orgWith(["prod"], { down: "down" });
    const r = await check(ctx, { "*": ref("pull-good") });
    expect(r).toMatchObject({ status: "unreachable", failedStep: "cluster" });
    expect(r.summary).toMatch(/^down: could not read .* \(unreachable\): connection refused; valid in prod$/);
    expect(r.proven).toContain("prod: Basic login as alice");
  });

  it("keys that name no registered cluster are reported; covering none is invalid", async () => {
    const ctx = await orgWith(["prod"]);
    const r = await check(ctx, { "prod-eu": ref("pull-good") });
    expect(r).toMatchObject({
      status: "invalid",
      failedStep: "cluster",
      summary:
        "no cluster named under secrets to copy exists in this org: use a name from the Clusters page, or * for every cluster",
    });
    expect(r.steps).toEqual([
      { step: "cluster", ok: false, ms: 0, detail: "prod-eu: no cluster of this org has this name" },
    ]);
  });

  it("[finding] an all-digit host (2130706433 is 127.0.0.1) cannot be registered, so it never reaches the source's Docker Hub credentials", async () => {
    const ctx = await orgWith(["prod"]);
    // "2130706433/app" is docker.io/2130706433/app to the kubelet: the key names no host, and is refused as such.
    await expect(check(ctx, { "*": ref("pull-hub") }, { registry: "2130706433" })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { registry: expect.stringContaining("names no image host") },
    });
  });

  it("a source namespace outside a cluster's secret_ref allow-list is not read and is reported for that cluster", async () => {
    const ctx = await orgWith(["prod"], { allowed: [] });
    const r = await check(ctx, { "*": ref("pull-good") });
    expect(r).toMatchObject({ status: "invalid", failedStep: "secret" });
    expect(r.summary).toBe(
      `prod: the source namespace ${namespace} is not in this cluster's secret_ref namespaces (an admin allows it in the cluster's settings); ${namespace}/pull-good was not read`,
    );
    expect(r.proven).toBeNull();
  });

  it("checks an unsaved secret_ref body from the registry dialog", async () => {
    const ctx = await orgWith(["prod"]);
    const r = await testUnsavedRegistry(ctx, {
      type: "secret_ref",
      registry: registry.host,
      secrets: { "*": ref("pull-good") },
      ca_cert: pki.ca.cert,
    });
    expect(r).toMatchObject({ status: "valid" });
    expect(JSON.stringify(r)).not.toContain(alicePassword);
  });
});

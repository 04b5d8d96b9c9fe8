import { type Stopper, startPeersOnce } from "../helpers/peer-setup";
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { connect } from "@/lib/integrations/kube";
import { reconcileCluster } from "@/lib/controller/reconcile";
import { createRegistry } from "@/lib/registries/service";
import { readRepositoryChecks } from "@/lib/readiness/check-repo";
import { recheckReadiness } from "@/lib/readiness/recheck";
import type { WorkloadReadiness } from "@/lib/readiness/schema";
import { getReadinessView } from "@/lib/readiness/service";
import { AppError } from "@/lib/errors";
import { actorFor } from "../helpers/db";
import {
  createTestPki,
  freePort,
  pushImage,
  type RegistryPeer,
  requestRegistryToken,
  startRegistry,
  startTokenServer,
  type TestPki,
  type TokenServer,
} from "@/test/peers";
import { createDeployment, type Fixture, openFixture, type TestScope, testScope } from "./controller-fixture";

const alicePassword = `canary-alice-${randomBytes(12).toString("hex")}`;
const bobPassword = `canary-bob-${randomBytes(12).toString("hex")}`;
const adminPassword = `canary-admin-${randomBytes(12).toString("hex")}`;
const service = "regcred-readiness-registry";
const issuer = "regcred-readiness-issuer";
const basicHeader = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

let f: Fixture;
let pki: TestPki;
let tokens: TokenServer;
let basic: RegistryPeer;
let tokenAuth: RegistryPeer;
let closedPort: number;
const stoppers: Stopper[] = [];

async function startPeers(): Promise<void> {
  f = await openFixture();
  stoppers.push(
    () => f.stopKube(),
    () => f.database.close(),
  );
  pki = await createTestPki();
  stoppers.push(pki.remove);
  tokens = await startTokenServer({
    users: { bob: bobPassword, admin: adminPassword },
    signer: pki.tokenSigner,
    issuer,
    service,
    tls: pki.server,
    // bob may pull team/granted only: for anything else he gets a token without rights, as Docker Hub answers.
    grants: (user, access) => (user === "admin" ? access.actions : access.name === "team/granted" ? ["pull"] : []),
  });
  stoppers.push(tokens.stop);
  basic = await startRegistry({
    name: "ready-htpasswd",
    tls: pki.server,
    auth: { htpasswd: { alice: alicePassword } },
  });
  stoppers.push(basic.stop);
  tokenAuth = await startRegistry({
    name: "ready-token",
    tls: pki.server,
    auth: { token: { realm: tokens.realm, service, issuer, rootCertBundlePath: pki.ca.certPath } },
  });
  stoppers.push(tokenAuth.stop);
  const ca = pki.ca.cert;
  const alice = basicHeader("alice", alicePassword);
  await pushImage(basic, "team/app", "1.0", { ca, authorization: alice });
  await pushImage(basic, "wrong/app", "1.0", { ca, authorization: alice });
  const admin = await requestRegistryToken(tokens.realm, {
    service,
    ca,
    user: "admin",
    password: adminPassword,
    scopes: ["repository:team/granted:pull,push", "repository:team/other:pull,push"],
  });
  for (const repo of ["team/granted", "team/other"])
    await pushImage(tokenAuth, repo, "1.0", { ca, authorization: `Bearer ${admin}` });
  closedPort = await freePort();
}

const setup = startPeersOnce(stoppers, startPeers, 240_000);

function deps() {
  return {
    db: f.db,
    keyring: f.keyring,
    client: connect({ kind: "kubeconfig", kubeconfig: f.adminText }),
    now: () => new Date(),
    gracePeriodMs: 60_000,
    timeoutMs: 10_000,
    instanceId: "readiness-test",
  };
}

const find = (ws: WorkloadReadiness[], ns: string, name: string) => {
  const w = ws.find((x) => x.namespace === ns && x.name === name);
  if (!w) throw new Error(`no workload ${ns}/${name} in ${ws.map((x) => `${x.namespace}/${x.name}`).join(", ")}`);
  return w;
};
const codes = (w: WorkloadReadiness) => w.images.flatMap((i) => i.reasons.map((r) => r.code));

describe("readiness on real peers", () => {
  let s: TestScope;
  const ns: Record<string, string> = {};

  beforeAll(async () => {
    if (setup.failed()) return;
    s = await testScope(f, "ready");
    const ca = pki.ca.cert;
    await createRegistry(s.ctx, {
      id: "team",
      registry: `${basic.host}`,
      type: "basic",
      creds: { username: "alice", password: alicePassword },
      ca_cert: ca,
    });
    // A more specific key on the same host with a wrong password: the kubelet (and Regcred) pick it for wrong/*.
    await createRegistry(s.ctx, {
      id: "wrongpw",
      registry: `${basic.host}/wrong`,
      type: "basic",
      creds: { username: "alice", password: "not-the-password" },
      ca_cert: ca,
    });
    await createRegistry(s.ctx, {
      id: "tok",
      registry: tokenAuth.host,
      type: "basic",
      creds: { username: "bob", password: bobPassword },
      ca_cert: ca,
    });
    await createRegistry(s.ctx, {
      id: "gone",
      registry: `127.0.0.1:${closedPort}`,
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    for (const name of ["ok", "missing", "expired", "unwired", "wrongpw", "noaccess", "notfound", "unreachable"])
      ns[name] = await s.namespace(name);
    await createDeployment(f, ns.ok!, "web", `${basic.host}/team/app:1.0`);
    await createDeployment(f, ns.expired!, "web", `${basic.host}/team/app:1.0`);
    await createDeployment(f, ns.wrongpw!, "web", `${basic.host}/wrong/app:1.0`);
    await createDeployment(f, ns.noaccess!, "web", `${tokenAuth.host}/team/other:1.0`);
    await createDeployment(f, ns.noaccess!, "granted", `${tokenAuth.host}/team/granted:1.0`);
    await createDeployment(f, ns.notfound!, "web", `${basic.host}/team/app:nope`);
    await createDeployment(f, ns.unreachable!, "web", `127.0.0.1:${closedPort}/team/app:1.0`);
    await createDeployment(f, ns.unwired!, "web", `${basic.host}/team/app:1.0`);
    // One real pass writes the secrets and wires the ServiceAccounts, as the controller does.
    const pass = await reconcileCluster(deps(), s.cluster, { trigger: "manual" });
    expect(pass.status).toBe("succeeded");
    // After the pass: a workload whose namespace never got its secret, an expired secret, an unwired ServiceAccount.
    await createDeployment(f, ns.missing!, "web", `${basic.host}/team/app:1.0`);
    await f.core.patchNamespacedSecret({
      namespace: ns.expired!,
      name: "regcred-team",
      body: [{ op: "replace", path: "/metadata/labels/regcred.dev~1expires", value: "20260101T000000Z" }],
    });
    await f.core.createNamespacedServiceAccount({ namespace: ns.unwired!, body: { metadata: { name: "builder" } } });
    await f.apps.patchNamespacedDeployment({
      namespace: ns.unwired!,
      name: "web",
      body: [{ op: "add", path: "/spec/template/spec/serviceAccountName", value: "builder" }],
    });
    // A bare pod admitted before its namespace had the secret, now in ImagePullBackOff.
    await f.core.createNamespacedPod({
      namespace: ns.missing!,
      body: {
        metadata: { name: "stuck" },
        spec: { containers: [{ name: "app", image: `${basic.host}/team/app:1.0` }] },
      },
    });
    await f.core.replaceNamespacedPodStatus({
      namespace: ns.missing!,
      name: "stuck",
      body: {
        metadata: { name: "stuck" },
        spec: { containers: [{ name: "app", image: `${basic.host}/team/app:1.0` }] },
        status: {
          containerStatuses: [
            {
              name: "app",
              image: `${basic.host}/team/app:1.0`,
              imageID: "",
              ready: false,
              restartCount: 0,
              state: { waiting: { reason: "ImagePullBackOff", message: "Back-off pulling image" } },
            },
          ],
        },
      },
    });
  }, 120_000);

  it("before any check, verdicts that need one are unknown (not checked) and reading them checks nothing", async () => {
    const issued = tokens.issued();
    const view = await getReadinessView(s.ctx, {});
    expect(find(view.workloads, ns.ok!, "web").verdict).toBe("unknown");
    expect(codes(find(view.workloads, ns.ok!, "web"))).toContain("not_checked");
    // Missing secret: will_fail without any check.
    expect(find(view.workloads, ns.missing!, "web").verdict).toBe("will_fail");
    expect(tokens.issued()).toBe(issued);
    expect(await readRepositoryChecks(f.db, s.ctx.actor.orgId)).toEqual([]);
  });

  it("a viewer cannot re-check; a manager's re-check checks each repository once", async () => {
    const viewer = { ...s.ctx, actor: actorFor(s.ctx.actor.orgId, "viewer") };
    await expect(recheckReadiness(viewer)).rejects.toBeInstanceOf(AppError);
    const result = await recheckReadiness({ ...s.ctx, actor: actorFor(s.ctx.actor.orgId, "manager") });
    // team/app:1.0 (4 namespaces), wrong/app, team/other, team/granted, team/app:nope, the closed port.
    expect(result.checked).toBe(6);
    expect(result.outcomes).toMatchObject({ ok: 2, wrong_credentials: 1, no_access: 1, not_found: 1, unreachable: 1 });
    // A second press right after is refused (429 with Retry-After), so a held button cannot hammer the registries.
    const again = recheckReadiness({ ...s.ctx, actor: actorFor(s.ctx.actor.orgId, "manager") });
    await expect(again).rejects.toMatchObject({ code: "RATE_LIMITED", status: 429 });
    await expect(again).rejects.toHaveProperty("retryAfterSeconds", expect.any(Number));
  });

  it("shows each verdict with the reason a user can act on", async () => {
    const view = await getReadinessView(s.ctx, {});
    const verdict = (n: string, name = "web") => find(view.workloads, ns[n]!, name);
    expect(verdict("ok").verdict).toBe("ready");
    expect(codes(verdict("ok"))).toEqual(["registry_matched", "secret_present", "wired_serviceaccount", "pull_ok"]);
    const cases: Array<[string, string, string]> = [
      ["missing", "will_fail", "secret_missing"],
      ["expired", "will_fail", "secret_expired"],
      ["unwired", "will_fail", "serviceaccount_not_wired"],
      ["wrongpw", "will_fail", "wrong_credentials"],
      ["noaccess", "will_fail", "no_access"],
      ["notfound", "will_fail", "image_not_found"],
      ["unreachable", "unknown", "registry_unreachable"],
    ];
    for (const [n, v, code] of cases) {
      expect({ n, verdict: verdict(n).verdict }).toEqual({ n, verdict: v });
      expect(codes(verdict(n))).toContain(code);
    }
    expect(verdict("noaccess", "granted").verdict).toBe("ready");
    expect(verdict("unwired").images[0]!.reasons.find((r) => r.code === "serviceaccount_not_wired")?.text).toContain(
      "builder",
    );
    // The stuck bare pod is its own workload, and its ImagePullBackOff is explained by the missing secret.
    const stuck = verdict("missing", "stuck");
    expect(stuck.verdict).toBe("will_fail");
    expect(stuck.stuck_pods).toEqual([
      expect.objectContaining({ pod: "stuck", reason: "ImagePullBackOff", explained: true }),
    ]);
    expect(view.counts.ready).toBe(2);
    // Nothing secret anywhere in the answer.
    const text = JSON.stringify(view);
    for (const secret of [alicePassword, bobPassword, adminPassword, "not-the-password"])
      expect(text).not.toContain(secret);
  });

  it("filters by namespace and verdict; counts ignore the verdict filter", async () => {
    const all = await getReadinessView(s.ctx, {});
    const failing = await getReadinessView(s.ctx, { verdict: "will_fail" });
    expect(failing.workloads.every((w) => w.verdict === "will_fail")).toBe(true);
    expect(failing.counts).toEqual(all.counts);
    const one = await getReadinessView(s.ctx, { namespace: ns.ok! });
    expect(one.workloads.map((w) => w.name)).toEqual(["web"]);
    await expect(getReadinessView(s.ctx, { verdict: "maybe" })).rejects.toThrow(/Verdict must be one of/);
  });
});

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AdmissionregistrationV1Api, type V1ContainerStatus } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "@/db/client";
import { EVERY_NEED, type PermissionSelection, permissionsFor } from "@/lib/clusters/permissions";
import { findClusterRow } from "@/lib/clusters/repo";
import { createCluster, updateCluster } from "@/lib/clusters/service";
import type { Ctx } from "@/lib/context";
import { startController, stopController } from "@/lib/controller/runtime";
import { createKeyring, type Keyring } from "@/lib/crypto/secret-box";
import { connect, type KubeClient } from "@/lib/integrations/kube";
import { createRegistry } from "@/lib/registries/service";
import type { WiringMode } from "@/lib/sync/wiring-modes";
import { webhookConfigurationName } from "@/lib/webhook/configuration";
import { type AuditedKube, type AuditEvent, startAuditedKube } from "../helpers/audited-kube";
import { actorFor, backends, createOrg, uniqueId } from "../helpers/db";
import { eventually } from "./controller-fixture";
import { CHART, type Helm, helmFor, setArgs, tokenKubeconfig } from "./helm-fixture";

// Least privilege, proven with the chart's own ServiceAccount: the chart is installed, a token is requested for its
// ServiceAccount (TokenRequest API), a cluster is registered with that token, and the controller runs a full pass in
// each wiring mode with only the rules the chart grants for that mode. The API server's audit log records every
// request of that user: none may be answered 403. SelfSubjectAccessReviews show the grants are the list, no more.
const NS = "regcred";
const SA = "lp-regcred";
const USER = `system:serviceaccount:${NS}:${SA}`;
const TEST_LABEL = "regcred-test";
const IMAGE = "priv.example.com/team/web:1";
let kube: AuditedKube;
let helm: Helm;
let database: Database;
let db: Db;
let keyring: Keyring;
let tokenConfig: string;
let asChart: KubeClient;

beforeAll(async () => {
  kube = startAuditedKube("least", ["- level: Metadata", `  users: ["${USER}"]`]);
  helm = helmFor(path.join(kube.dir, "kube/admin.kubeconfig"));
  // The in-process webhook server: any free port, its serving certificate in a temp dir.
  process.env.REGCRED_WEBHOOK_PORT = "0";
  process.env.REGCRED_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-lp-data-"));
  await kube.core.createNamespace({ body: { metadata: { name: NS } } });
  helm(["install", "lp", CHART, "-n", NS]);
  const token = await kube.core.createNamespacedServiceAccountToken({
    namespace: NS,
    name: SA,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const server = kube.kc.getCurrentCluster()!.server;
  const caData = fs.readFileSync(path.join(kube.dir, "kube/pki/ca.crt")).toString("base64");
  tokenConfig = tokenKubeconfig(server, caData, token.status!.token, NS);
  asChart = connect({ kind: "kubeconfig", kubeconfig: tokenConfig });
  // PostgreSQL (DATABASE_URL_TEST): opens at once, where PGlite's first open takes seconds.
  database = await backends[1]!.open();
  db = database.db;
  keyring = createKeyring(randomBytes(32));
}, 180_000);

afterAll(async () => {
  await stopController();
  await database?.close();
  kube?.stop();
});

type Values = Record<string, string | boolean | string[]>;
const selectionValues = (s: PermissionSelection): Values => ({
  "rbac.wiring.modes": [...s.modes],
  "rbac.wiring.restartStuckPods": s.restartStuckPods,
  "rbac.wiring.cleanup": s.cleanup,
});

const RESOURCES: Array<[group: string, resource: string, namespaced: boolean]> = [
  ["", "namespaces", false],
  ["", "nodes", false],
  ["", "pods", true],
  ["", "serviceaccounts", true],
  ["", "secrets", true],
  ["", "configmaps", true],
  ["", "services", true],
  ["apps", "deployments", true],
  ["apps", "statefulsets", true],
  ["apps", "daemonsets", true],
  ["apps", "replicasets", true],
  ["batch", "jobs", true],
  ["batch", "cronjobs", true],
  ["coordination.k8s.io", "leases", true],
  ["admissionregistration.k8s.io", "mutatingwebhookconfigurations", false],
  ["admissionregistration.k8s.io", "validatingwebhookconfigurations", false],
  ["rbac.authorization.k8s.io", "clusterroles", false],
  ["rbac.authorization.k8s.io", "rolebindings", true],
];
const VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

/** Every (verb, resource, namespace) of the matrix the token may use, by SelfSubjectAccessReview, and what the list says. */
async function accessMatrix(selection: PermissionSelection): Promise<{ allowed: string[]; listed: string[] }> {
  const list = permissionsFor(NS, selection);
  const checks = RESOURCES.flatMap(([group, resource, namespaced]) =>
    VERBS.flatMap((verb) =>
      (namespaced ? [NS, "elsewhere"] : [undefined]).map((namespace) => ({ verb, group, resource, namespace })),
    ),
  );
  const name = (c: (typeof checks)[number]) =>
    `${c.verb} ${c.resource}.${c.group}${c.namespace ? ` in ${c.namespace}` : ""}`;
  const listed = checks.filter((c) =>
    list.some(
      (p) =>
        p.verb === c.verb &&
        p.group === c.group &&
        p.resource === c.resource &&
        (!p.namespace || p.namespace === c.namespace),
    ),
  );
  const decisions = await Promise.all(checks.map((c) => asChart.accessReview(c)));
  const allowed = checks.filter((_, i) => {
    const d = decisions[i]!;
    if (!d.ok) throw new Error(`SelfSubjectAccessReview failed: ${d.error.message}`);
    return d.value.allowed;
  });
  return { allowed: allowed.map(name).sort(), listed: listed.map(name).sort() };
}

/** helm upgrade with these grants; waits until the API server's authorizer applies them. */
async function grant(selection: PermissionSelection): Promise<void> {
  helm(["upgrade", "lp", CHART, "-n", NS, ...setArgs(selectionValues(selection))]);
  await eventually(async () => {
    const m = await accessMatrix(selection);
    return JSON.stringify(m.allowed) === JSON.stringify(m.listed);
  }, "the new RBAC rules to apply");
}

async function markImagePullBackOff(namespace: string, name: string): Promise<void> {
  const pod = await kube.core.readNamespacedPod({ namespace, name });
  const status: V1ContainerStatus = {
    name: "app",
    image: IMAGE,
    imageID: "",
    ready: false,
    restartCount: 0,
    state: { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${IMAGE}"` } },
  };
  pod.status = { ...pod.status, phase: "Pending", containerStatuses: [status] };
  await kube.core.replaceNamespacedPodStatus({ namespace, name, body: pod });
}

/** A cluster registered with the chart's token, an org with a private registry, and workloads that need it. */
async function scenario(mode: WiringMode) {
  const orgId = await createOrg(db, mode);
  const ctx: Ctx = { db, keyring, actor: actorFor(orgId, "admin") };
  const label = uniqueId(mode).slice(0, 40);
  const ns = `${label}-app`;
  await kube.core.createNamespace({ body: { metadata: { name: ns, labels: { [TEST_LABEL]: label } } } });
  await kube.core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: "default" } } });
  await createRegistry(ctx, {
    id: "priv",
    registry: "priv.example.com",
    type: "basic",
    creds: { username: "u", password: "p" },
  });
  const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: IMAGE }] } };
  await kube.apps.createNamespacedDeployment({
    namespace: ns,
    body: { metadata: { name: "web" }, spec: { selector: { matchLabels: { app: "web" } }, template } },
  });
  // A Pod admitted before its secret existed, stuck on the pull, owned by a ReplicaSet: a restart to do.
  const rs = await kube.apps.createNamespacedReplicaSet({
    namespace: ns,
    body: { metadata: { name: "web-1" }, spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template } },
  });
  const owner = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-1", uid: rs.metadata!.uid!, controller: true };
  await kube.core.createNamespacedPod({
    namespace: ns,
    body: { metadata: { name: "web-1-abcde", ownerReferences: [owner] }, spec: template.spec },
  });
  await markImagePullBackOff(ns, "web-1-abcde");
  const created = await createCluster(ctx, {
    name: `lp-${mode}`,
    kubeconfig: tokenConfig,
    namespace_selector: `${TEST_LABEL}=${label}`,
    wiring: mode,
    restart_stuck_pods: mode === "podtemplate",
  });
  const cluster = (await findClusterRow(db, orgId, created.id))!;
  return { ctx, ns, cluster };
}

/** The controller in this process, for these clusters only, until each has led and finished a pass. */
async function fullPass(clusterIds: string[], done: () => Promise<boolean>): Promise<void> {
  const controller = (await startController(db, keyring, {
    force: true,
    overrides: {
      instanceId: `lp-${randomBytes(3).toString("hex")}`,
      clusterFilter: (row) => clusterIds.includes(row.id),
      tickMs: 100,
      debounceMs: 100,
      pollMs: 250,
      leaseDurationMs: 10_000,
      resyncMs: 300_000,
      gracePeriodMs: 60_000,
    },
  }))!;
  for (const id of clusterIds) {
    const manager = await eventually(
      async () => controller.manager(id)?.isLeader() && controller.manager(id),
      "leadership",
    );
    await eventually(async () => manager.status().passes > 0, "the first pass");
    await manager.idle();
  }
  await eventually(done, "the pass's work");
  await stopController();
}

const pullSecrets = async (ns: string) =>
  ((await kube.core.readNamespacedServiceAccount({ namespace: ns, name: "default" })).imagePullSecrets ?? []).map(
    (r) => r.name,
  );
const templateSecrets = async (ns: string) =>
  (
    (await kube.apps.readNamespacedDeployment({ namespace: ns, name: "web" })).spec?.template.spec?.imagePullSecrets ??
    []
  ).map((r) => r.name);
const hookExists = (clusterId: string) =>
  kube.kc
    .makeApiClient(AdmissionregistrationV1Api)
    .readMutatingWebhookConfiguration({ name: webhookConfigurationName(clusterId) })
    .then(
      () => true,
      (err: { code?: number }) => (err.code === 404 ? false : Promise.reject(err)),
    );
const podGone = (ns: string) =>
  kube.core.readNamespacedPod({ namespace: ns, name: "web-1-abcde" }).then(
    () => false,
    (err: { code?: number }) => err.code === 404,
  );
const secretIn = (ns: string) =>
  kube.core.readNamespacedSecret({ namespace: ns, name: "regcred-priv" }).then(
    (s) => Boolean(s.data?.[".dockerconfigjson"]),
    () => false,
  );

const own = (): AuditEvent[] => kube.events().filter((e) => e.user.username === USER);
const call = (e: AuditEvent) =>
  `${e.verb} ${e.objectRef?.resource ?? "?"}${e.objectRef?.apiGroup ? `.${e.objectRef.apiGroup}` : ""}`;

describe("the chart's ServiceAccount: least privilege", () => {
  it("[rbac] grants exactly the permission list: SelfSubjectAccessReviews allow what the list names and deny everything else", async () => {
    const defaults = { modes: ["serviceaccount"] as WiringMode[], restartStuckPods: false, cleanup: false };
    const first = await accessMatrix(defaults);
    expect(first.allowed).toEqual(first.listed);
    expect(first.allowed).not.toContain("patch deployments.apps in elsewhere");
    expect(first.allowed).not.toContain("get configmaps. in elsewhere");
    expect(first.allowed).toContain("create leases.coordination.k8s.io in regcred");
    expect(first.allowed).not.toContain("create leases.coordination.k8s.io in elsewhere");
    await grant(EVERY_NEED);
    const every = await accessMatrix(EVERY_NEED);
    expect(every.allowed).toEqual(every.listed);
    expect(every.allowed).not.toContain("create pods. in elsewhere");
    expect(every.allowed).not.toContain("update deployments.apps in elsewhere");
    await grant(defaults);
  });

  it("[rbac] a full pass in every wiring mode (stuck-pod restarts included) and the switches between them, with the chart's token: zero 403 in the audit log", async () => {
    const runs: Array<
      [WiringMode, PermissionSelection, (s: Awaited<ReturnType<typeof scenario>>) => Promise<boolean>]
    > = [
      [
        "serviceaccount",
        { modes: ["serviceaccount"], restartStuckPods: false, cleanup: false },
        async (s) => (await secretIn(s.ns)) && (await pullSecrets(s.ns)).includes("regcred-priv"),
      ],
      [
        "webhook",
        { modes: ["webhook"], restartStuckPods: false, cleanup: false },
        async (s) => (await secretIn(s.ns)) && (await hookExists(s.cluster.id)),
      ],
      [
        "podtemplate",
        { modes: ["podtemplate"], restartStuckPods: true, cleanup: false },
        async (s) =>
          (await secretIn(s.ns)) && (await templateSecrets(s.ns)).includes("regcred-priv") && (await podGone(s.ns)),
      ],
    ];
    const done: Record<string, Awaited<ReturnType<typeof scenario>>> = {};
    for (const [mode, selection, worked] of runs) {
      await grant(selection);
      const s = await scenario(mode);
      await fullPass([s.cluster.id], () => worked(s));
      done[mode] = s;
    }
    // Leaving webhook and podtemplate mode: the webhook registration is removed, the templates un-patched.
    await grant(EVERY_NEED);
    await updateCluster(done.webhook!.ctx, done.webhook!.cluster.id, { wiring: "serviceaccount" });
    await updateCluster(done.podtemplate!.ctx, done.podtemplate!.cluster.id, { wiring: "serviceaccount" });
    await fullPass(
      [done.webhook!.cluster.id, done.podtemplate!.cluster.id],
      async () =>
        !(await hookExists(done.webhook!.cluster.id)) &&
        !(await templateSecrets(done.podtemplate!.ns)).includes("regcred-priv") &&
        (await pullSecrets(done.podtemplate!.ns)).includes("regcred-priv"),
    );

    const events = own();
    const forbidden = events
      .filter((e) => e.responseStatus?.code === 403)
      .map((e) => `${call(e)} ${e.objectRef?.namespace ?? ""}`);
    expect(forbidden).toEqual([]);
    // The work was done by this identity: every kind of write each mode needs appears, answered 2xx.
    const succeeded = new Set(events.filter((e) => (e.responseStatus?.code ?? 0) < 300).map(call));
    for (const c of [
      "create secrets",
      "patch serviceaccounts",
      "watch pods",
      "create leases.coordination.k8s.io",
      "update leases.coordination.k8s.io",
      "get mutatingwebhookconfigurations.admissionregistration.k8s.io",
      "create mutatingwebhookconfigurations.admissionregistration.k8s.io",
      "delete mutatingwebhookconfigurations.admissionregistration.k8s.io",
      "patch deployments.apps",
      "delete pods",
    ])
      expect(succeeded, c).toContain(c);
  });
});

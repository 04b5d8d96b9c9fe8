import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { CoreV1Api, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import { clientForCluster } from "@/lib/clusters/client";
import { testCluster, listScopedNamespaces } from "@/lib/clusters/connection";
import { testConnection } from "@/lib/clusters/connection-test";
import { requiredPermissions } from "@/lib/clusters/permissions";
import { findClusterRow } from "@/lib/clusters/repo";
import { createCluster, deleteCluster, getCluster, listClusters, updateCluster } from "@/lib/clusters/service";
import { importCluster, listImportableContexts, registerInClusterIfPresent } from "@/lib/clusters/startup";
import { createKeyring, type Keyring, open } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors";
import { connect, type KubeEnvironment } from "@/lib/integrations/kube";
import type { Ctx } from "@/lib/context";
import { actorFor, createOrg, queryRows, sql, uniqueId } from "../helpers/db";
import { type ClusterFixture, openClusterFixture } from "../helpers/cluster-fixture";
import type { KubeEnv } from "../helpers/kube";

let kube: KubeEnv;
let fixture: ClusterFixture | undefined;
let db: Db;
let keyring: Keyring;
let adminText: string;
let limitedText: string;
let core: CoreV1Api;
let rbac: RbacAuthorizationV1Api;
const cleanup: Array<() => Promise<unknown>> = [];
const serviceAccountMode = { wiring: "serviceaccount", restartStuckPods: false } as const;

beforeAll(async () => {
  fixture = await openClusterFixture();
  ({ kube, adminText, db, keyring } = fixture);
  limitedText = fs.readFileSync(kube.KUBECONFIG_LIMITED, "utf8");
  core = fixture.kc.makeApiClient(CoreV1Api);
  rbac = fixture.kc.makeApiClient(RbacAuthorizationV1Api);
});

afterAll(async () => {
  for (const fn of cleanup) await fn().catch(() => undefined);
  await fixture?.close();
});

async function orgCtx(role: "viewer" | "manager" | "admin" = "admin"): Promise<Ctx> {
  const orgId = await createOrg(db, "kube");
  return { db, keyring, actor: actorFor(orgId, role) };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the call to fail with an AppError").toBeInstanceOf(AppError);
  return err as AppError;
}

function tokenKubeconfig(server: string, token: string): string {
  const ca = fs.readFileSync(kube.KUBE_CA_FILE).toString("base64");
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "test", cluster: { server, "certificate-authority-data": ca } }],
    users: [{ name: "sa", user: { token } }],
    contexts: [{ name: "sa@test", context: { cluster: "test", user: "sa", namespace: "regcred-home" } }],
    "current-context": "sa@test",
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function namespace(name: string, labels: Record<string, string> = {}): Promise<string> {
  await core.createNamespace({ body: { metadata: { name, labels } } });
  return name;
}

describe("clusters against a real kube-apiserver", () => {
  it("adds a cluster from the admin kubeconfig and tests it: ok, v1.34.x, nothing missing", async () => {
    const ctx = await orgCtx();
    const created = await createCluster(ctx, { name: "prod", kubeconfig: adminText });
    expect(created).toMatchObject({
      name: "prod",
      source: "kubeconfig",
      server: kube.KUBE_API_URL,
      context: "admin@regcred-test",
      auth_kind: "client-certificate",
      scope: {
        namespace_selector: null,
        exclude_namespaces: ["kube-system", "kube-public", "kube-node-lease"],
        ignore_label: "regcred.dev/ignore=true",
      },
      last_test: null,
    });
    expect(JSON.stringify(created)).not.toMatch(/client-key-data|client-certificate-data|BEGIN/);

    const result = await testCluster(ctx, created.id);
    expect(result.status).toBe("ok");
    expect(result.version).toMatch(/^v1\.34\.\d+$/);
    expect(result.version).toBe(kube.KUBE_VERSION);
    expect(result.user).toBe("admin");
    expect(result.missing).toEqual([]);
    expect(result.steps.map((s) => s.step)).toEqual(["version", "authenticate", "permissions"]);
    expect(result.steps.every((s) => s.ok && s.ms >= 0)).toBe(true);

    const again = await getCluster(ctx, "prod");
    expect(again.last_test).toMatchObject({ status: "ok", version: result.version, missing: [] });
  });

  it("keeps credentials sealed at rest and out of DTOs and audit entries", async () => {
    const ctx = await orgCtx();
    const token = kube.KUBE_ADMIN_TOKEN;
    const created = await createCluster(ctx, { name: "sealed", kubeconfig: tokenKubeconfig(kube.KUBE_API_URL, token) });
    expect(created.auth_kind).toBe("token");
    const [raw] = await queryRows<Record<string, unknown>>(db, sql`select * from clusters where id = ${created.id}`);
    const rawText = JSON.stringify(raw);
    expect(rawText).not.toContain(token);
    expect(String(raw!.kubeconfig_sealed)).toMatch(/^v1\./);
    const row = await findClusterRow(db, ctx.actor.orgId, created.id);
    const opened = JSON.parse(open(keyring, row!.kubeconfigSealed!, `cluster:${ctx.actor.orgId}/${created.id}`));
    expect(opened.users[0].user.token).toBe(token);
    expect(opened.contexts).toHaveLength(1);
    expect(() =>
      open(createKeyring(randomBytes(32)), row!.kubeconfigSealed!, `cluster:${ctx.actor.orgId}/${created.id}`),
    ).toThrow();

    const adminCtx = await createCluster(ctx, { name: "sealed-cert", kubeconfig: adminText });
    const [rawCert] = await queryRows<Record<string, unknown>>(
      db,
      sql`select * from clusters where id = ${adminCtx.id}`,
    );
    const keyData = /client-key-data: (\S+)/.exec(adminText)![1]!;
    expect(JSON.stringify(rawCert)).not.toContain(keyData.slice(0, 40));

    expect((await testCluster(ctx, "sealed")).status).toBe("ok");
    const audit = await db.select().from(auditLog).where(eq(auditLog.orgId, ctx.actor.orgId));
    expect(audit.map((a) => a.action)).toEqual(["cluster.create", "cluster.create", "cluster.test"]);
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(await listClusters(ctx))).not.toContain(token);
  });

  it("reports the limited user as degraded with every needed permission missing", async () => {
    const ctx = await orgCtx();
    const created = await createCluster(ctx, { name: "limited", kubeconfig: limitedText });
    expect(created.auth_kind).toBe("token");
    const result = await testCluster(ctx, created.id);
    expect(result.status).toBe("degraded");
    expect(result.user).toBe("limited");
    expect(result.version).toBe(kube.KUBE_VERSION);
    expect(result.missing).toEqual(
      requiredPermissions("default", { wiring: "serviceaccount", restartStuckPods: false }),
    );
    expect(result.missing).toHaveLength(30);
    expect(result.summary).toContain("30 of 30 permissions are missing");
  });

  it("lists exactly the permissions a partly bound ServiceAccount lacks", async () => {
    const id = uniqueId("rc").slice(0, 40);
    const home = await namespace(`${id}-home`);
    await core.createNamespacedServiceAccount({ namespace: home, body: { metadata: { name: "regcred" } } });
    const roleName = `${id}-partial`;
    await rbac.createClusterRole({
      body: {
        metadata: { name: roleName },
        rules: [
          { apiGroups: [""], resources: ["namespaces", "pods", "serviceaccounts"], verbs: ["list", "watch"] },
          {
            apiGroups: ["apps"],
            resources: ["deployments", "statefulsets", "daemonsets", "replicasets"],
            verbs: ["list", "watch"],
          },
          { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: ["list", "watch"] },
          { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch", "create", "update", "patch"] },
          { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["get", "update", "patch"] },
        ],
      },
    });
    cleanup.push(() => rbac.deleteClusterRole({ name: roleName }));
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: roleName },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName },
        subjects: [{ kind: "ServiceAccount", name: "regcred", namespace: home }],
      },
    });
    cleanup.push(() => rbac.deleteClusterRoleBinding({ name: roleName }));
    await rbac.createNamespacedRole({
      namespace: home,
      body: {
        metadata: { name: "lease" },
        rules: [{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update"] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: home,
      body: {
        metadata: { name: "lease" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "lease" },
        subjects: [{ kind: "ServiceAccount", name: "regcred", namespace: home }],
      },
    });
    const tokenRequest = await core.createNamespacedServiceAccountToken({
      namespace: home,
      name: "regcred",
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    const kubeconfig = JSON.parse(tokenKubeconfig(kube.KUBE_API_URL, tokenRequest.status!.token!));
    kubeconfig.contexts[0].context.namespace = home;

    const ctx = await orgCtx();
    const created = await createCluster(ctx, { name: "partial", kubeconfig: JSON.stringify(kubeconfig) });
    expect(created.default_namespace).toBe(home);
    const result = await testCluster(ctx, "partial");
    expect(result.user).toBe(`system:serviceaccount:${home}:regcred`);
    expect(result.status).toBe("degraded");
    expect(result.missing).toEqual([
      { verb: "delete", group: "", resource: "secrets" },
      { verb: "get", group: "admissionregistration.k8s.io", resource: "mutatingwebhookconfigurations" },
    ]);
    expect(result.summary).toContain("2 of 30 permissions are missing");

    await updateCluster(ctx, "partial", { wiring: "podtemplate", restart_stuck_pods: true });
    const podtemplate = await testCluster(ctx, "partial");
    expect(podtemplate.missing.map((p) => `${p.verb} ${p.resource}`)).toEqual([
      "delete secrets",
      "get mutatingwebhookconfigurations",
      "patch deployments",
      "patch statefulsets",
      "patch daemonsets",
      "patch replicasets",
      "patch cronjobs",
      "delete pods",
    ]);
    expect(podtemplate.summary).toContain("8 of 36 permissions are missing");
  });

  it("reports rejected credentials as unauthorized", async () => {
    const ctx = await orgCtx();
    await createCluster(ctx, {
      name: "bad-token",
      kubeconfig: tokenKubeconfig(kube.KUBE_API_URL, "not-a-valid-token"),
    });
    const result = await testCluster(ctx, "bad-token");
    expect(result).toMatchObject({ status: "unauthorized", version: null, missing: [] });
    expect(result.summary).toContain("rejected the credentials");
    expect(result.summary).not.toContain("not-a-valid-token");
  });

  it("reports a closed port as unreachable, without throwing", async () => {
    const ctx = await orgCtx();
    const port = await freePort();
    await createCluster(ctx, {
      name: "closed",
      kubeconfig: adminText.replace(kube.KUBE_API_URL, `https://127.0.0.1:${port}`),
    });
    const result = await testCluster(ctx, "closed");
    expect(result.status).toBe("unreachable");
    expect(result.summary).toBe(`Cannot reach https://127.0.0.1:${port}: connection refused.`);
    expect(result.steps).toEqual([
      { step: "version", ok: false, ms: expect.any(Number), detail: "connection refused" },
    ]);
    expect((await getCluster(ctx, "closed")).last_test?.status).toBe("unreachable");
  });

  it("reports a server that never answers as unreachable after the configured timeout", async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const client = connect(
        { kind: "kubeconfig", kubeconfig: adminText.replace(kube.KUBE_API_URL, `https://127.0.0.1:${port}`) },
        { timeoutMs: 500 },
      );
      const result = await testConnection(client, { homeNamespace: "default", needs: serviceAccountMode });
      expect(result).toMatchObject({
        status: "unreachable",
        summary: expect.stringContaining("no answer within 500 ms"),
      });
    } finally {
      silent.close();
    }
  });

  it("refuses exec plugins, auth providers, unknown contexts and broken YAML with a 400 naming the problem", async () => {
    const ctx = await orgCtx();
    const exec = `${adminText.replace(/client-certificate-data: .*\n\s*client-key-data: .*/, "exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: [eks, get-token]")}`;
    let err = await rejection(createCluster(ctx, { name: "eks", kubeconfig: exec }));
    expect(err.status).toBe(400);
    expect(err.message).toContain('uses an exec credential plugin ("aws"); Regcred cannot run plugins for other users');
    expect(err.fields).toHaveProperty("kubeconfig");

    const provider = adminText.replace(
      /client-certificate-data: .*\n\s*client-key-data: .*/,
      "auth-provider:\n      name: oidc",
    );
    err = await rejection(createCluster(ctx, { name: "oidc", kubeconfig: provider }));
    expect(err.message).toContain('auth-provider "oidc"');

    err = await rejection(createCluster(ctx, { name: "x", kubeconfig: adminText, context: "nope" }));
    expect(err.status).toBe(400);
    expect(err.fields).toEqual({ context: 'Context "nope" is not in the kubeconfig; it has "admin@regcred-test".' });

    err = await rejection(createCluster(ctx, { name: "x", kubeconfig: "clusters: [unclosed" }));
    expect(err.fields?.kubeconfig).toMatch(/^Kubeconfig is not valid YAML or JSON: .* at line 1, column \d+$/);

    err = await rejection(
      createCluster(ctx, { name: "Not_Valid", kubeconfig: adminText, namespace_selector: "env in (" }),
    );
    expect(Object.keys(err.fields ?? {}).sort()).toEqual(["name", "namespace_selector"]);

    expect(await listClusters(ctx)).toEqual([]);
  });

  it("lets viewers read and only admins write or test", async () => {
    const admin = await orgCtx();
    await createCluster(admin, { name: "shared", kubeconfig: adminText });
    const viewer: Ctx = { ...admin, actor: { ...admin.actor, role: "viewer" } };
    const manager: Ctx = { ...admin, actor: { ...admin.actor, role: "manager" } };
    expect((await listClusters(viewer)).map((c) => c.name)).toEqual(["shared"]);
    expect((await getCluster(viewer, "shared")).name).toBe("shared");
    expect((await rejection(createCluster(manager, { name: "m", kubeconfig: adminText }))).code).toBe("FORBIDDEN");
    expect((await rejection(testCluster(viewer, "shared"))).code).toBe("FORBIDDEN");
    expect((await rejection(deleteCluster(manager, "shared"))).code).toBe("FORBIDDEN");
    expect((await rejection(createCluster(admin, { name: "shared", kubeconfig: adminText }))).code).toBe("CONFLICT");
  });

  it("renames, rescopes and replaces the kubeconfig; deleting forgets the cluster", async () => {
    const ctx = await orgCtx();
    const created = await createCluster(ctx, { name: "before", kubeconfig: adminText });
    await testCluster(ctx, created.id);
    const renamed = await updateCluster(ctx, created.id, {
      name: "after",
      namespace_selector: "team=a",
      exclude_namespaces: [],
    });
    expect(renamed).toMatchObject({
      id: created.id,
      name: "after",
      scope: { namespace_selector: "team=a", exclude_namespaces: [], description: "Namespaces matching team=a" },
    });
    expect(renamed.last_test?.status).toBe("ok");

    const err = await rejection(updateCluster(ctx, "after", { context: "admin@regcred-test" }));
    expect(err.fields).toEqual({ context: "Context can only change together with a new kubeconfig" });

    const replaced = await updateCluster(ctx, "after", { kubeconfig: limitedText });
    expect(replaced).toMatchObject({
      auth_kind: "token",
      context: "limited@regcred-test",
      last_test: null,
      scope: { namespace_selector: "team=a" },
    });
    expect((await testCluster(ctx, "after")).status).toBe("degraded");

    await deleteCluster(ctx, created.id);
    expect((await rejection(getCluster(ctx, created.id))).code).toBe("NOT_FOUND");
  });

  it("[security] webhook caller auth and the secret_ref allow-list: admin only, validated per field, the token shown once and stored sealed", async () => {
    const ctx = await orgCtx();
    const created = await createCluster(ctx, { name: "hooked", kubeconfig: adminText });
    expect(created).toMatchObject({
      secret_ref_namespaces: [],
      webhook_auth: "none",
      webhook_client_ca: null,
      webhook_token_set: false,
    });
    expect(created.webhook_token).toBeUndefined();

    // Switching to webhook wiring without choosing: token, generated and returned once.
    const switched = await updateCluster(ctx, "hooked", {
      wiring: "webhook",
      secret_ref_namespaces: ["infra", "infra", "ci"],
    });
    expect(switched).toMatchObject({
      wiring: "webhook",
      webhook_auth: "token",
      webhook_token_set: true,
      secret_ref_namespaces: ["ci", "infra"],
    });
    const token = switched.webhook_token!;
    expect(token).toMatch(/^rcwh_[A-Za-z0-9_-]{43}$/);
    const read = await getCluster(ctx, "hooked");
    expect(read.webhook_token).toBeUndefined();
    expect(JSON.stringify(read)).not.toContain(token);
    const [stored] = await queryRows<{ webhook_token_sealed: string }>(
      db,
      sql`select webhook_token_sealed from cluster_sync where cluster_id = ${created.id}`,
    );
    expect(stored!.webhook_token_sealed).not.toContain(token);
    expect((await updateCluster(ctx, "hooked", { environment_label: "env" })).webhook_token).toBeUndefined();
    const rotated = await updateCluster(ctx, "hooked", { rotate_webhook_token: true });
    expect(rotated.webhook_token).toMatch(/^rcwh_/);
    expect(rotated.webhook_token).not.toBe(token);
    const audit = await db.select().from(auditLog).where(eq(auditLog.orgId, ctx.actor.orgId));
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(audit)).not.toContain(rotated.webhook_token!);

    let err = await rejection(updateCluster(ctx, "hooked", { webhook_auth: "mtls" }));
    expect(err.fields).toEqual({
      webhook_client_ca: "Client CA is required for client-certificate (mTLS) authentication",
    });
    err = await rejection(
      updateCluster(ctx, "hooked", { webhook_auth: "mtls", webhook_client_ca: "not a certificate" }),
    );
    expect(err.fields).toEqual({
      webhook_client_ca: "Client CA must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)",
    });
    err = await rejection(
      updateCluster(ctx, "hooked", { webhook_auth: "sometimes" as never, secret_ref_namespaces: ["Bad_NS"] }),
    );
    expect(err.fields).toMatchObject({
      webhook_auth: "Webhook caller authentication must be one of token, mtls, none",
      "secret_ref_namespaces.0":
        'secret_ref source namespaces: "Bad_NS" is not a namespace name (lowercase letters, digits and hyphens)',
    });
    err = await rejection(updateCluster(ctx, "hooked", { webhook_auth: "none", rotate_webhook_token: true }));
    expect(err.fields).toEqual({
      rotate_webhook_token: "A new webhook token only applies to bearer-token authentication",
    });

    const ca = fs.readFileSync(kube.KUBE_CA_FILE, "utf8");
    const mtls = await updateCluster(ctx, "hooked", { webhook_auth: "mtls", webhook_client_ca: ca });
    expect(mtls).toMatchObject({ webhook_auth: "mtls", webhook_client_ca: ca.trim(), webhook_token_set: false });
    expect((await updateCluster(ctx, "hooked", { webhook_auth: "none" })).webhook_auth).toBe("none");

    const manager: Ctx = { ...ctx, actor: { ...ctx.actor, role: "manager" } };
    expect((await rejection(updateCluster(manager, "hooked", { secret_ref_namespaces: ["kube-system"] }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await rejection(updateCluster(manager, "hooked", { webhook_auth: "none" }))).code).toBe("FORBIDDEN");

    // A cluster created in webhook mode gets a token too; one already in webhook mode keeps its mode.
    const fresh = await createCluster(ctx, { name: "fresh", kubeconfig: adminText, wiring: "webhook" });
    expect(fresh).toMatchObject({
      webhook_auth: "token",
      webhook_token_set: true,
      webhook_token: expect.stringMatching(/^rcwh_/),
    });
    expect((await updateCluster(ctx, "hooked", { wiring: "webhook" })).webhook_auth).toBe("none");
  });

  it("filters real namespaces by selector, exclusions and the opt-out label", async () => {
    const team = uniqueId("t").slice(0, 30);
    const a = await namespace(`${team}-a`, { team });
    const b = await namespace(`${team}-b`, { team, "regcred.dev/ignore": "true" });
    const c = await namespace(`${team}-c`, { team, env: "prod" });
    const d = await namespace(`${team}-d`, { team: "someone-else" });
    const ctx = await orgCtx();

    await createCluster(ctx, {
      name: "team",
      kubeconfig: adminText,
      namespace_selector: `team=${team}`,
      exclude_namespaces: [c],
    });
    const scoped = await listScopedNamespaces(ctx, "team");
    expect(scoped).toEqual({
      ok: true,
      value: {
        included: [a],
        excluded: [
          { name: b, reason: "ignored" },
          { name: c, reason: "excluded" },
        ],
      },
    });

    await createCluster(ctx, { name: "everything", kubeconfig: adminText });
    const all = await listScopedNamespaces(ctx, "everything");
    expect(all.ok).toBe(true);
    if (!all.ok) return;
    expect(all.value.included).toEqual(expect.arrayContaining([a, c, d, "default"]));
    expect(all.value.included).not.toContain(b);
    expect(all.value.excluded).toEqual(
      expect.arrayContaining([
        { name: "kube-system", reason: "excluded" },
        { name: "kube-public", reason: "excluded" },
        { name: b, reason: "ignored" },
      ]),
    );

    await createCluster(ctx, { name: "limited-scope", kubeconfig: limitedText });
    const denied = await listScopedNamespaces(ctx, "limited-scope");
    expect(denied).toMatchObject({ ok: false, error: { kind: "forbidden", status: 403 } });
  });

  it("reads secrets across namespaces and one by name through the KubeClient", async () => {
    const ns = await namespace(uniqueId("sec").slice(0, 40));
    const label = uniqueId("l").slice(0, 40);
    await core.createNamespacedSecret({
      namespace: ns,
      body: {
        metadata: { name: "regcred-x", labels: { "regcred.dev/test": label } },
        type: "kubernetes.io/dockerconfigjson",
        stringData: { ".dockerconfigjson": '{"auths":{}}' },
      },
    });
    const ctx = await orgCtx();
    await createCluster(ctx, { name: "secrets", kubeconfig: adminText });
    const row = await findClusterRow(db, ctx.actor.orgId, "secrets");
    const client = clientForCluster(keyring, row!);
    const listed = await client.listSecrets({ labelSelector: `regcred.dev/test=${label}` });
    expect(listed).toMatchObject({
      ok: true,
      value: [
        {
          namespace: ns,
          name: "regcred-x",
          type: "kubernetes.io/dockerconfigjson",
          labels: { "regcred.dev/test": label },
        },
      ],
    });
    const byField = await client.listSecrets({ fieldSelector: `metadata.namespace=${ns},metadata.name=regcred-x` });
    expect(byField.ok && byField.value.map((s) => s.name)).toEqual(["regcred-x"]);
    const one = await client.getSecret(ns, "regcred-x");
    expect(one.ok && Buffer.from(one.value.data[".dockerconfigjson"]!, "base64").toString()).toBe('{"auths":{}}');
    expect(await client.getSecret(ns, "missing")).toMatchObject({
      ok: false,
      error: { kind: "not-found", status: 404 },
    });
    const limited = connect({ kind: "kubeconfig", kubeconfig: limitedText });
    expect(await limited.listSecrets()).toMatchObject({ ok: false, error: { kind: "forbidden" } });
  });

  it("registers the in-cluster connection from the pod's service account, once", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-sa-"));
    fs.writeFileSync(path.join(dir, "token"), kube.KUBE_ADMIN_TOKEN);
    fs.copyFileSync(kube.KUBE_CA_FILE, path.join(dir, "ca.crt"));
    fs.writeFileSync(path.join(dir, "namespace"), "regcred\n");
    const port = new URL(kube.KUBE_API_URL).port;
    const podEnv: KubeEnvironment = { serviceHost: "127.0.0.1", servicePort: port, serviceAccountDir: dir };
    const ctx = await orgCtx();

    expect(await registerInClusterIfPresent(db, keyring, ctx.actor.orgId, { serviceAccountDir: dir })).toBeNull();
    expect(
      await registerInClusterIfPresent(db, keyring, ctx.actor.orgId, {
        ...podEnv,
        serviceAccountDir: path.join(dir, "nope"),
      }),
    ).toBeNull();
    const registered = await registerInClusterIfPresent(db, keyring, ctx.actor.orgId, podEnv);
    expect(registered).toMatchObject({
      name: "in-cluster",
      source: "in-cluster",
      auth_kind: "in-cluster",
      server: `https://127.0.0.1:${port}`,
      default_namespace: "regcred",
      created_by: "system",
    });
    expect(await registerInClusterIfPresent(db, keyring, ctx.actor.orgId, podEnv)).toMatchObject({
      id: registered!.id,
    });
    expect(await listClusters(ctx)).toHaveLength(1);

    const client = connect({ kind: "in-cluster", server: registered!.server, serviceAccountDir: dir });
    const result = await testConnection(client, { homeNamespace: "regcred", needs: serviceAccountMode });
    expect(result).toMatchObject({ status: "ok", user: "admin-token", missing: [] });
    const err = await rejection(updateCluster(ctx, "in-cluster", { kubeconfig: adminText }));
    expect(err.fields).toHaveProperty("kubeconfig");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("offers the contexts of the start-up KUBECONFIG for import, embedding files it refers to", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-kubeconfig-"));
    fs.copyFileSync(kube.KUBE_ADMIN_CERT_FILE, path.join(dir, "admin.crt"));
    fs.copyFileSync(kube.KUBE_ADMIN_KEY_FILE, path.join(dir, "admin.key"));
    const withFiles = `apiVersion: v1
kind: Config
current-context: files
clusters:
- name: c
  cluster:
    server: ${kube.KUBE_API_URL}
    certificate-authority: ${kube.KUBE_CA_FILE}
users:
- name: files
  user:
    client-certificate: admin.crt
    client-key: admin.key
- name: eks
  user:
    exec: {command: aws}
contexts:
- name: files
  context: {cluster: c, user: files}
- name: eks
  context: {cluster: c, user: eks}
`;
    fs.writeFileSync(path.join(dir, "config"), withFiles);
    const startupEnv: KubeEnvironment = {
      kubeconfig: [path.join(dir, "config"), kube.KUBECONFIG_LIMITED, path.join(dir, "missing")].join(path.delimiter),
      serviceAccountDir: "/nonexistent",
    };
    const ctx = await orgCtx();

    const importable = await listImportableContexts(ctx, startupEnv);
    expect(importable.files).toEqual([path.join(dir, "config"), kube.KUBECONFIG_LIMITED]);
    expect(importable.contexts.map((c) => [c.name, c.authKind, c.problem === null, c.addedAs])).toEqual([
      ["files", "client-certificate", true, null],
      ["eks", null, false, null],
      ["limited@regcred-test", "token", true, null],
    ]);
    expect(JSON.stringify(importable)).not.toMatch(/BEGIN|token: /);

    const imported = await importCluster(ctx, { context: "files" }, startupEnv);
    expect(imported).toMatchObject({ name: "files", auth_kind: "client-certificate", server: kube.KUBE_API_URL });
    expect((await testCluster(ctx, "files")).status).toBe("ok");
    expect((await listImportableContexts(ctx, startupEnv)).contexts[0]!.addedAs).toBe("files");
    expect((await rejection(importCluster(ctx, { context: "eks", name: "eks" }, startupEnv))).message).toContain(
      "exec credential plugin",
    );
    expect((await rejection(importCluster(ctx, { context: "files" }, { serviceAccountDir: "/x" }))).code).toBe(
      "NOT_FOUND",
    );
    const viewer: Ctx = { ...ctx, actor: { ...ctx.actor, role: "viewer" } };
    expect((await rejection(listImportableContexts(viewer, startupEnv))).code).toBe("FORBIDDEN");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "@/db/client";
import { apiTokens, auditLog, memberships, registries, users } from "@/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import { createSession } from "@/lib/auth/session";
import { createKeyring, type Keyring } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors";
import { findRegistryRow } from "@/lib/registries/repo";
import { createRegistry, deleteRegistry, getRegistry, listRegistries, updateRegistry } from "@/lib/registries/service";
import type { Ctx } from "@/lib/context";
import { openCreds } from "@/lib/registries/creds";
import { createToken, revokeToken } from "@/lib/tokens/service";
import { actorFor, backends, createOrg, queryRows, sql, uniqueId } from "../helpers/db";

const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";

function ecrBody(id: string, secret: string, account = "667740703053") {
  return {
    id,
    registry: `${account}.dkr.ecr.ca-central-1.amazonaws.com`,
    type: "amazon_ecr",
    enable_ci: false,
    creds: { username: ACCESS_KEY, password: secret },
  };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the call to fail with an AppError").toBeInstanceOf(AppError);
  return err as AppError;
}

async function registryCount(db: Db, orgId: string): Promise<number> {
  return (await db.select({ id: registries.id }).from(registries).where(eq(registries.orgId, orgId))).length;
}

async function auditCount(db: Db, orgId: string): Promise<number> {
  return (await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.orgId, orgId))).length;
}

describe.each(backends)("data layer on $name", (backend) => {
  let database: Database;
  let db: Db;
  let keyring: Keyring;

  beforeAll(async () => {
    database = await backend.open();
    db = database.db;
    keyring = createKeyring(randomBytes(32));
  });

  afterAll(async () => {
    await database?.close();
  });

  async function orgCtx(role: "viewer" | "manager" | "admin" = "manager"): Promise<Ctx> {
    const orgId = await createOrg(db, backend.name === "pglite" ? "lite" : "pg");
    return { db, keyring, actor: actorFor(orgId, role) };
  }

  const secret = () => `wJalrXUtnFEMI/K7MDENG/${randomBytes(8).toString("hex")}EXAMPLEKEY`;

  it("applies every committed migration and is idempotent", async () => {
    expect(database.kind).toBe(backend.name === "pglite" ? "pglite" : "postgres");
    const journal = JSON.parse(
      fs.readFileSync(path.join(process.cwd(), "db/migrations/meta/_journal.json"), "utf8"),
    ) as { entries: unknown[] };
    const applied = await queryRows<{ n: number | string }>(
      db,
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    expect(Number(applied[0]!.n)).toBe(journal.entries.length);
    const tables = await queryRows<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.tables where table_schema = current_schema() order by table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(["api_tokens", "audit_log", "memberships", "orgs", "registries", "sessions", "users"]),
    );
    if (backend.name === "postgresql") {
      const again = await backend.open();
      await again.close();
      const after = await queryRows<{ n: number | string }>(
        db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(Number(after[0]!.n)).toBe(journal.entries.length);
    }
  });

  it("creates a registry with sealed credentials", async () => {
    const ctx = await orgCtx();
    const password = secret();
    const created = await createRegistry(ctx, ecrBody("667740703053", password));
    expect(created).toEqual({
      id: "667740703053",
      registry: "667740703053.dkr.ecr.ca-central-1.amazonaws.com",
      type: "amazon_ecr",
      enable_ci: false,
      aws_role_arn: null,
      aws_use_external_id: false,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      created_by: "test-manager",
    });
    expect(JSON.stringify(created)).not.toContain(password);

    const [raw] = await queryRows<{ creds_sealed: string }>(
      db,
      sql`select creds_sealed from registries where org_id = ${ctx.actor.orgId} and id = ${"667740703053"}`,
    );
    expect(raw!.creds_sealed).toMatch(/^v1\./);
    expect(raw!.creds_sealed).not.toContain(password);
    expect(raw!.creds_sealed).not.toContain(ACCESS_KEY);
    expect(raw!.creds_sealed).not.toContain(Buffer.from(password).toString("base64"));

    const row = await findRegistryRow(db, ctx.actor.orgId, "667740703053");
    expect(openCreds(keyring, row!)).toEqual({ username: ACCESS_KEY, password });
    expect(() => openCreds(createKeyring(randomBytes(32)), row!)).toThrow();

    const audit = await db.select().from(auditLog).where(eq(auditLog.orgId, ctx.actor.orgId));
    expect(audit.map((a) => a.action)).toEqual(["registry.create"]);
    expect(JSON.stringify(audit)).not.toContain(password);
  });

  it("lists and gets registries in the actor's org", async () => {
    const ctx = await orgCtx();
    await createRegistry(ctx, { id: "zz-public", registry: "docker.io/library", type: "public" });
    await createRegistry(ctx, {
      id: "aa-basic",
      registry: "registry.example.com:5000/team",
      type: "basic",
      creds: { username: "u", password: secret() },
    });
    expect((await listRegistries(ctx)).map((r) => r.id)).toEqual(["aa-basic", "zz-public"]);
    expect(await getRegistry(ctx, "zz-public")).toMatchObject({ id: "zz-public", type: "public", enable_ci: false });
    expect(Object.keys(await getRegistry(ctx, "aa-basic"))).not.toContain("creds");
  });

  it("lists each registry exactly as GET of that registry answers it", async () => {
    const ctx = await orgCtx();
    const creator: Ctx = { ...ctx, actor: { ...ctx.actor, label: 'token:"ci" \\ Zoë\u2028' } };
    await createRegistry(creator, { id: "b-public", registry: "docker.io/library", type: "public", enable_ci: true });
    await createRegistry(creator, {
      id: "a-ref",
      registry: "ref.example.com",
      type: "secret_ref",
      secrets: { "*": { namespace: "default", secret: "pull" }, "prod-eu": { namespace: "ops", secret: "pull.eu" } },
    });
    await createRegistry(creator, ecrBody("c-ecr", secret()));
    const listed = await listRegistries(ctx);
    expect(listed.map((r) => r.id)).toEqual(["a-ref", "b-public", "c-ecr"]);
    for (const r of listed) expect(JSON.stringify(r)).toBe(JSON.stringify(await getRegistry(ctx, r.id)));
    expect(listed[0]!.created_by).toBe('token:"ci" \\ Zoë\u2028');
  });

  it("keeps stored credentials on a partial update and re-seals changed ones", async () => {
    const ctx = await orgCtx();
    const password = secret();
    await createRegistry(ctx, ecrBody("ecr-partial", password));

    const toggled = await updateRegistry(ctx, "ecr-partial", { enable_ci: true });
    expect(toggled.enable_ci).toBe(true);
    let row = await findRegistryRow(db, ctx.actor.orgId, "ecr-partial");
    expect(openCreds(keyring, row!)).toEqual({ username: ACCESS_KEY, password });

    const full = await updateRegistry(ctx, "ecr-partial", {
      ...ecrBody("ecr-partial", password),
      enable_ci: true,
      creds: undefined,
    });
    expect(full.enable_ci).toBe(true);
    row = await findRegistryRow(db, ctx.actor.orgId, "ecr-partial");
    expect(openCreds(keyring, row!)).toEqual({ username: ACCESS_KEY, password });

    const rotated = secret();
    await updateRegistry(ctx, "ecr-partial", { creds: { password: rotated } });
    row = await findRegistryRow(db, ctx.actor.orgId, "ecr-partial");
    expect(openCreds(keyring, row!)).toEqual({ username: ACCESS_KEY, password: rotated });
    expect(row!.credsSealed).not.toContain(rotated);

    const err = await rejection(updateRegistry(ctx, "ecr-partial", { type: "basic" }));
    expect(err.status).toBe(400);
    expect(err.fields).toHaveProperty(["creds.username"]);
    row = await findRegistryRow(db, ctx.actor.orgId, "ecr-partial");
    expect(row!.type).toBe("amazon_ecr");
    expect(openCreds(keyring, row!)).toEqual({ username: ACCESS_KEY, password: rotated });
  });

  it("rejects an id in the body that differs from the path", async () => {
    const ctx = await orgCtx();
    await createRegistry(ctx, { id: "pub", registry: "quay.io", type: "public" });
    const err = await rejection(updateRegistry(ctx, "pub", { id: "other" }));
    expect(err.code).toBe("VALIDATION_FAILED");
    expect(err.fields).toEqual({ id: 'ID cannot change: it must stay "pub"' });
  });

  it("deletes a registry with its credentials", async () => {
    const ctx = await orgCtx();
    await createRegistry(ctx, ecrBody("ecr-del", secret()));
    await deleteRegistry(ctx, "ecr-del");
    expect(await findRegistryRow(db, ctx.actor.orgId, "ecr-del")).toBeNull();
    expect(await registryCount(db, ctx.actor.orgId)).toBe(0);
    expect((await rejection(getRegistry(ctx, "ecr-del"))).status).toBe(404);
    expect((await rejection(deleteRegistry(ctx, "ecr-del"))).status).toBe(404);
    const actions = (await db.select().from(auditLog).where(eq(auditLog.orgId, ctx.actor.orgId))).map((a) => a.action);
    expect(actions.sort()).toEqual(["registry.create", "registry.delete"]);
  });

  it("turns duplicate ids and registry strings into 409 conflicts", async () => {
    const ctx = await orgCtx();
    await createRegistry(ctx, ecrBody("first", secret()));
    const sameId = await rejection(createRegistry(ctx, ecrBody("first", secret(), "111111111111")));
    expect([sameId.code, sameId.status, sameId.fields]).toEqual([
      "CONFLICT",
      409,
      { id: 'A registry with ID "first" already exists: choose another ID' },
    ]);
    const sameUrl = await rejection(createRegistry(ctx, ecrBody("second", secret())));
    expect([sameUrl.code, sameUrl.status, sameUrl.fields]).toEqual([
      "CONFLICT",
      409,
      { registry: 'Registry "first" already uses this URL' },
    ]);

    await createRegistry(ctx, ecrBody("third", secret(), "222222222222"));
    // Another host needs the credentials again (they are bound to the old one); with them, the clash is a 409.
    const unbound = await rejection(
      updateRegistry(ctx, "third", { registry: "667740703053.dkr.ecr.ca-central-1.amazonaws.com" }),
    );
    expect([unbound.status, Object.keys(unbound.fields ?? {}).sort()]).toEqual([
      400,
      ["creds.password", "creds.username"],
    ]);
    const moved = await rejection(
      updateRegistry(ctx, "third", {
        registry: "667740703053.dkr.ecr.ca-central-1.amazonaws.com",
        creds: { username: ACCESS_KEY, password: secret() },
      }),
    );
    expect(moved.status).toBe(409);
    expect(await registryCount(db, ctx.actor.orgId)).toBe(2);

    const other = await orgCtx();
    await expect(createRegistry(other, ecrBody("first", secret()))).resolves.toMatchObject({ id: "first" });
  });

  it("maps a unique-index race to 409 rather than a 500", async () => {
    const ctx = await orgCtx();
    const results = await Promise.allSettled([1, 2, 3].map(() => createRegistry(ctx, ecrBody("racer", secret()))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === "rejected")) {
      expect(r.reason).toBeInstanceOf(AppError);
      expect((r.reason as AppError).status).toBe(409);
    }
    expect(await registryCount(db, ctx.actor.orgId)).toBe(1);
  });

  it.each([
    ["an unknown field", { id: "bad", registry: "quay.io", type: "public", foo: 1 }, "body"],
    [
      "ECR without keys",
      { id: "ecr", registry: "667740703053.dkr.ecr.ca-central-1.amazonaws.com", type: "amazon_ecr" },
      "creds.username",
    ],
    [
      "ECR on a non-ECR host without region",
      { id: "ecr", registry: "registry.example.com", type: "amazon_ecr", creds: { username: "a", password: "b" } },
      "registry",
    ],
    ["secret_ref with no secrets", { id: "ref", registry: "quay.io", type: "secret_ref", secrets: {} }, "secrets"],
    [
      "an invalid namespace",
      { id: "ref", registry: "quay.io", type: "secret_ref", secrets: { "*": { namespace: "Bad_NS", secret: "s" } } },
      "secrets.*.namespace",
    ],
    ["a bad id", { id: "Bad_Id", registry: "quay.io", type: "public" }, "id"],
  ])("writes nothing when validation fails: %s", async (_name, body, field) => {
    const ctx = await orgCtx();
    const err = await rejection(createRegistry(ctx, body));
    expect(err.code).toBe("VALIDATION_FAILED");
    expect(err.status).toBe(400);
    expect(err.fields).toHaveProperty([field]);
    expect(await registryCount(db, ctx.actor.orgId)).toBe(0);
    expect(await auditCount(db, ctx.actor.orgId)).toBe(0);
  });

  it("leaves a registry untouched when an update fails validation", async () => {
    const ctx = await orgCtx();
    const password = secret();
    await createRegistry(ctx, ecrBody("ecr-keep", password));
    const before = await findRegistryRow(db, ctx.actor.orgId, "ecr-keep");
    await rejection(updateRegistry(ctx, "ecr-keep", { registry: "not an ecr host", enable_ci: true }));
    await rejection(updateRegistry(ctx, "ecr-keep", { type: "secret_ref" }));
    await rejection(updateRegistry(ctx, "ecr-keep", { creds: { password: 42 } }));
    const after = await findRegistryRow(db, ctx.actor.orgId, "ecr-keep");
    expect(after).toEqual(before);
    expect(await auditCount(db, ctx.actor.orgId)).toBe(1);
  });

  it("hides another org's registries behind 404", async () => {
    const a = await orgCtx();
    const b = await orgCtx();
    await createRegistry(a, ecrBody("private", secret()));
    expect(await listRegistries(b)).toEqual([]);
    expect((await rejection(getRegistry(b, "private"))).status).toBe(404);
    expect((await rejection(updateRegistry(b, "private", { enable_ci: true }))).status).toBe(404);
    expect((await rejection(deleteRegistry(b, "private"))).status).toBe(404);
    expect((await getRegistry(a, "private")).enable_ci).toBe(false);
  });

  it("lets a viewer read but not write", async () => {
    const manager = await orgCtx("manager");
    await createRegistry(manager, ecrBody("shared", secret()));
    const viewer: Ctx = { ...manager, actor: actorFor(manager.actor.orgId, "viewer") };
    expect((await listRegistries(viewer)).map((r) => r.id)).toEqual(["shared"]);
    expect((await getRegistry(viewer, "shared")).id).toBe("shared");
    for (const attempt of [
      createRegistry(viewer, ecrBody("mine", secret(), "333333333333")),
      updateRegistry(viewer, "shared", { enable_ci: true }),
      deleteRegistry(viewer, "shared"),
    ]) {
      const err = await rejection(attempt);
      expect([err.code, err.status]).toEqual(["FORBIDDEN", 403]);
    }
    expect((await getRegistry(manager, "shared")).enable_ci).toBe(false);
    expect(await registryCount(db, manager.actor.orgId)).toBe(1);
  });

  it("creates, authenticates and revokes API tokens", async () => {
    const admin = await orgCtx("admin");
    const other = await createOrg(db, "other");
    const { token, view } = await createToken(admin, { name: "ci", role: "manager", ci: true });
    expect(view).toMatchObject({ name: "ci", role: "manager", scopes: ["ci"], lastUsedAt: null, revokedAt: null });

    const [stored] = await db.select().from(apiTokens).where(eq(apiTokens.id, view.id));
    expect(stored!.tokenHash).not.toContain(token);
    expect(stored!.lastUsedAt).toBeNull();

    const actor = await authenticate(db, { bearer: token, sessionToken: null }, admin.actor.orgId);
    expect(actor).toMatchObject({
      orgId: admin.actor.orgId,
      role: "manager",
      kind: "token",
      tokenId: view.id,
      label: "token:ci",
      scopes: ["ci"],
    });
    const [used] = await db.select().from(apiTokens).where(eq(apiTokens.id, view.id));
    expect(used!.lastUsedAt).toBeInstanceOf(Date);

    expect((await rejection(authenticate(db, { bearer: token, sessionToken: null }, other))).status).toBe(404);
    expect(
      (await rejection(authenticate(db, { bearer: `${token}x`, sessionToken: null }, admin.actor.orgId))).status,
    ).toBe(401);
    expect((await rejection(authenticate(db, { bearer: null, sessionToken: null }, admin.actor.orgId))).status).toBe(
      401,
    );

    const manager: Ctx = { ...admin, actor: actor };
    expect((await rejection(createToken(manager, { name: "x", role: "admin" }))).status).toBe(403);

    await revokeToken(admin, view.id);
    expect((await rejection(authenticate(db, { bearer: token, sessionToken: null }, admin.actor.orgId))).status).toBe(
      401,
    );
    expect((await rejection(revokeToken(admin, view.id))).status).toBe(404);
    expect((await rejection(revokeToken(admin, "not-a-uuid"))).status).toBe(404);
  });

  it("authenticates a session through the user's membership only", async () => {
    const orgId = await createOrg(db, "sess");
    const other = await createOrg(db, "sess-other");
    const [user] = await db
      .insert(users)
      .values({ email: `${uniqueId("u")}@example.test`, name: "U" })
      .returning();
    await db.insert(memberships).values({ orgId, userId: user!.id, role: "viewer" });
    const { token } = await createSession(db, user!.id, orgId);
    const actor = await authenticate(db, { bearer: null, sessionToken: token }, orgId);
    expect(actor).toMatchObject({ orgId, role: "viewer", kind: "user", userId: user!.id });
    expect((await rejection(authenticate(db, { bearer: null, sessionToken: token }, other))).status).toBe(404);
    expect((await rejection(authenticate(db, { bearer: null, sessionToken: "nope" }, orgId))).status).toBe(401);
    const membership = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, user!.id)));
    expect(membership).toHaveLength(1);
  });
});

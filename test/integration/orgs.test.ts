import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "@/db/client";
import { memberships, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/crypto/hash";
import { AppError } from "@/lib/errors";
import { createOrg, listAllOrgs, listOrgs } from "@/lib/orgs/service";
import { acceptInvite, findInvite, inviteUser } from "@/lib/users/invites";
import { changeRole, removeMember } from "@/lib/users/service";
import { actorFor, backends, createOrg as insertOrg, uniqueId } from "../helpers/db";

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function newUser(db: Db, opts: { password?: string; instanceAdmin?: boolean } = {}) {
  const email = `${uniqueId("u")}@example.test`;
  const [user] = await db
    .insert(users)
    .values({
      email,
      name: "U",
      passwordHash: opts.password ? await hashPassword(opts.password) : null,
      instanceAdmin: opts.instanceAdmin ?? false,
    })
    .returning();
  return user!;
}

function userActor(orgId: string, userId: string, role: Actor["role"] = "admin"): Actor {
  return { ...actorFor(orgId, role), userId, label: "test-user" };
}

describe.each(backends)("orgs and invites on $name", (backend) => {
  let database: Database;
  let db: Db;

  beforeAll(async () => {
    database = await backend.open();
    db = database.db;
  });
  afterAll(async () => {
    await database.close();
  });

  it("only an instance admin creates orgs; the creator is their first admin; a taken id is a conflict", async () => {
    const root = await newUser(db, { password: "root-password-1", instanceAdmin: true });
    const plain = await newUser(db, { password: "plain-password-1" });
    const home = await insertOrg(db, "home");
    const id = uniqueId("org");
    expect(await createOrg(db, userActor(home, root.id), { id, name: "Team" })).toEqual({
      id,
      name: "Team",
      role: "admin",
    });
    expect((await listOrgs(db, userActor(home, root.id))).map((o) => o.id)).toContain(id);
    expect((await rejection(createOrg(db, userActor(home, root.id), { id, name: "again" }))).fields).toEqual({
      id: `An org with ID "${id}" already exists: choose another ID`,
    });
    expect((await rejection(createOrg(db, userActor(home, plain.id), { id: uniqueId("org"), name: "x" }))).code).toBe(
      "FORBIDDEN",
    );
    expect(
      (
        await rejection(
          createOrg(
            db,
            { ...actorFor(home, "admin"), kind: "token", tokenId: "t" },
            { id: uniqueId("org"), name: "x" },
          ),
        )
      ).code,
    ).toBe("FORBIDDEN");
  });

  it("an invite from org B activates only B's membership, and a second accept of the same link fails", async () => {
    const [orgA, orgB] = [await insertOrg(db, "a"), await insertOrg(db, "b")];
    const email = `${uniqueId("v")}@example.test`;
    const fromA = await inviteUser({ db, actor: actorFor(orgA, "admin") }, { email, role: "admin" });
    const fromB = await inviteUser({ db, actor: actorFor(orgB, "admin") }, { email, role: "viewer" });
    expect(fromA.inviteToken).not.toBe(fromB.inviteToken);
    expect((await findInvite(db, fromA.inviteToken!))?.orgId).toBe(orgA);

    const body = { token: fromB.inviteToken!, name: "V", password: "victim-password-1" };
    const results = await Promise.allSettled([acceptInvite(db, body, null), acceptInvite(db, body, null)]);
    expect(
      results
        .filter((r) => r.status === "fulfilled")
        .map((r) => (r as PromiseFulfilledResult<{ orgId: string }>).value.orgId),
    ).toEqual([orgB]);
    const rows = await db.select().from(memberships).where(eq(memberships.userId, fromA.userId));
    expect(Object.fromEntries(rows.map((m) => [m.orgId, m.inviteTokenHash === null]))).toEqual({
      [orgA]: false,
      [orgB]: true,
    });

    // A's link now belongs to an account with a password: without its session it changes nothing.
    const [before] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, fromA.userId));
    expect(
      (await rejection(acceptInvite(db, { token: fromA.inviteToken!, name: "M", password: "mallory-password" }, null)))
        .code,
    ).toBe("FORBIDDEN");
    const [after] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, fromA.userId));
    expect(after!.hash).toBe(before!.hash);
    expect(await acceptInvite(db, { token: fromA.inviteToken! }, fromA.userId)).toEqual({
      userId: fromA.userId,
      orgId: orgA,
    });
    expect(await findInvite(db, fromA.inviteToken!)).toBeNull();
  });

  it("the last-admin guard and the org list count only admins who can sign in", async () => {
    const org = await insertOrg(db, "guard");
    const active = await newUser(db, { password: "active-password-1" });
    await db.insert(memberships).values({ orgId: org, userId: active.id, role: "admin" });
    const pending = await inviteUser(
      { db, actor: actorFor(org, "admin") },
      { email: `${uniqueId("p")}@example.test`, role: "admin" },
    );
    // An accepted membership of a user who never set a password (left by old data) cannot sign in either.
    const stale = await newUser(db);
    await db.insert(memberships).values({ orgId: org, userId: stale.id, role: "admin" });
    const actor = actorFor(org, "admin");

    expect((await rejection(changeRole({ db, actor }, active.id, { role: "viewer" }))).code).toBe("CONFLICT");
    expect((await rejection(removeMember({ db, actor }, active.id))).code).toBe("CONFLICT");
    const summary = (await listAllOrgs(db, userActor(org, (await newUser(db, { instanceAdmin: true })).id))).find(
      (o) => o.id === org,
    );
    expect(summary).toMatchObject({ members: 3, admins: 1 });
    await changeRole({ db, actor }, pending.userId, { role: "viewer" });
    await removeMember({ db, actor }, stale.id);
    const [still] = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.orgId, org), eq(memberships.userId, active.id)));
    expect(still!.role).toBe("admin");
  });
});

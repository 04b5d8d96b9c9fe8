import "server-only";
import { and, asc, count, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, orgs, users } from "@/db/schema";
import { recordAudit } from "../audit/repo";
import type { Actor } from "../auth/actor";
import { AppError } from "../errors";
import { parseWith } from "../validation";
import { CreateOrgInput, type OrgSummary, type OrgView } from "./schema";

export async function isInstanceAdmin(db: Db, userId: string | null): Promise<boolean> {
  if (!userId) return false;
  const [user] = await db.select({ flag: users.instanceAdmin }).from(users).where(eq(users.id, userId)).limit(1);
  return user?.flag === true;
}

async function requireInstanceAdmin(db: Db, caller: Actor): Promise<void> {
  if (caller.kind !== "user" || !(await isInstanceAdmin(db, caller.userId))) {
    throw new AppError("FORBIDDEN", "Only an instance admin can do this; API tokens belong to one org and cannot.");
  }
}

/** The orgs the caller can see: a token its own org, a user every org they have accepted a membership in. */
export async function listOrgs(db: Db, caller: Actor): Promise<OrgView[]> {
  if (caller.kind === "token") {
    const [org] = await db.select().from(orgs).where(eq(orgs.id, caller.orgId)).limit(1);
    return org ? [{ id: org.id, name: org.name, role: caller.role }] : [];
  }
  return db
    .select({ id: orgs.id, name: orgs.name, role: memberships.role })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(and(eq(memberships.userId, caller.userId!), isNull(memberships.inviteTokenHash)))
    .orderBy(asc(memberships.createdAt));
}

/** Creates an org (instance admins only); its creator becomes its first admin. */
export async function createOrg(db: Db, caller: Actor, body: unknown): Promise<OrgView> {
  await requireInstanceAdmin(db, caller);
  const input = parseWith(CreateOrgInput, body);
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(orgs)
      .values({ id: input.id, name: input.name })
      .onConflictDoNothing()
      .returning();
    if (!created)
      throw new AppError("CONFLICT", `An org with id "${input.id}" already exists.`, {
        id: `An org with ID "${input.id}" already exists: choose another ID`,
      });
    await tx.insert(memberships).values({ orgId: input.id, userId: caller.userId!, role: "admin" });
    await recordAudit(tx, { ...caller, orgId: input.id }, "org.create", input.id, { name: input.name });
    return { id: created.id, name: created.name, role: "admin" as const };
  });
}

/** Every org with its member and signed-up admin counts, for the instance admin's Orgs panel. */
export async function listAllOrgs(db: Db, caller: Actor): Promise<OrgSummary[]> {
  await requireInstanceAdmin(db, caller);
  const rows = await db
    .select({
      id: orgs.id,
      name: orgs.name,
      createdAt: orgs.createdAt,
      members: count(memberships.userId),
      admins: sql<number>`count(*) filter (where ${and(eq(memberships.role, "admin"), isNull(memberships.inviteTokenHash), isNotNull(users.passwordHash))})`,
    })
    .from(orgs)
    .leftJoin(memberships, eq(memberships.orgId, orgs.id))
    .leftJoin(users, eq(users.id, memberships.userId))
    .groupBy(orgs.id)
    .orderBy(asc(orgs.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    members: Number(r.members),
    admins: Number(r.admins),
    createdAt: r.createdAt.toISOString(),
  }));
}

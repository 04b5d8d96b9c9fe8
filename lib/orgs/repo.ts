import "server-only";
import { and, asc, count, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, orgs, users } from "@/db/schema";
import type { OrgSummary, OrgView } from "./schema";

export async function isInstanceAdminUser(db: Db, userId: string): Promise<boolean> {
  const [user] = await db.select({ flag: users.instanceAdmin }).from(users).where(eq(users.id, userId)).limit(1);
  return user?.flag === true;
}

export async function findOrg(db: Db, id: string): Promise<{ id: string; name: string } | null> {
  const [org] = await db.select({ id: orgs.id, name: orgs.name }).from(orgs).where(eq(orgs.id, id)).limit(1);
  return org ?? null;
}

/** An org with its keyless-ECR settings (its external ID is not a secret: it goes into a role's trust policy). */
export async function findOrgDetails(
  db: Db,
  id: string,
): Promise<{ id: string; name: string; awsExternalId: string; awsDefaultChain: boolean } | null> {
  const [org] = await db
    .select({ id: orgs.id, name: orgs.name, awsExternalId: orgs.awsExternalId, awsDefaultChain: orgs.awsDefaultChain })
    .from(orgs)
    .where(eq(orgs.id, id))
    .limit(1);
  return org ?? null;
}

/** Sets whether the org's ECR registries may use the server's AWS identity; false when there is no such org. */
export async function setOrgDefaultChain(db: Db, id: string, allowed: boolean): Promise<{ before: boolean } | null> {
  const [before] = await db
    .select({ flag: orgs.awsDefaultChain })
    .from(orgs)
    .where(eq(orgs.id, id))
    .for("update")
    .limit(1);
  if (!before) return null;
  await db.update(orgs).set({ awsDefaultChain: allowed }).where(eq(orgs.id, id));
  return { before: before.flag };
}

/** Creates the org unless its id is taken; null when it was. */
export async function insertOrg(
  db: Db,
  org: { id: string; name: string },
): Promise<{ id: string; name: string } | null> {
  const [created] = await db.insert(orgs).values(org).onConflictDoNothing().returning();
  return created ? { id: created.id, name: created.name } : null;
}

/** The orgs a user has accepted memberships in, with their role, oldest membership first. */
export async function listAcceptedOrgs(db: Db, userId: string): Promise<OrgView[]> {
  return db
    .select({ id: orgs.id, name: orgs.name, role: memberships.role })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), isNull(memberships.inviteTokenHash)))
    .orderBy(asc(memberships.createdAt));
}

/** The ids of those orgs, oldest membership first (sign-in lands in the first). */
export async function activeOrgIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), isNull(memberships.inviteTokenHash)))
    .orderBy(asc(memberships.createdAt));
  return rows.map((r) => r.orgId);
}

export async function hasAcceptedMembership(db: Db, userId: string, orgId: string): Promise<boolean> {
  const [member] = await db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId), isNull(memberships.inviteTokenHash)))
    .limit(1);
  return Boolean(member);
}

/** Every org with its member and signed-up admin counts. */
export async function listOrgSummaries(db: Db): Promise<OrgSummary[]> {
  const rows = await db
    .select({
      id: orgs.id,
      name: orgs.name,
      awsDefaultChain: orgs.awsDefaultChain,
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
    awsDefaultChain: r.awsDefaultChain,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Creates the org unless it exists (first start). */
export async function ensureOrg(db: Db, id: string, name: string): Promise<void> {
  await db.insert(orgs).values({ id, name }).onConflictDoNothing();
}

import "server-only";
import { and, asc, eq, gt, isNotNull, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, orgs, users } from "@/db/schema";
import type { Role } from "../auth/roles";
import { isUuid } from "../validation";
import type { MemberView } from "./schema";

type MembershipColumns = { inviteTokenHash: string | null; inviteExpiresAt: Date | null };

export async function listMembers(db: Db, orgId: string): Promise<MemberView[]> {
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      hash: users.passwordHash,
      invite: memberships.inviteTokenHash,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(users.email));
  return rows.map((r) => ({
    userId: r.userId,
    email: r.email,
    name: r.name,
    role: r.role,
    pending: r.hash === null || r.invite !== null,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Admins of the org who can act in it: an account with a password and an accepted membership. */
export async function activeAdminCount(db: Db, orgId: string): Promise<number> {
  const rows = await db
    .select({ u: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.orgId, orgId),
        eq(memberships.role, "admin"),
        isNull(memberships.inviteTokenHash),
        isNotNull(users.passwordHash),
      ),
    );
  return rows.length;
}

/** A member's role, and whether they can act (accepted the invite and have a password); null if not a member. */
export async function findMember(
  db: Db,
  orgId: string,
  userId: string,
): Promise<{ role: Role; active: boolean } | null> {
  if (!isUuid(userId)) return null;
  const [m] = await db
    .select({ role: memberships.role, invite: memberships.inviteTokenHash, hash: users.passwordHash })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .limit(1);
  return m ? { role: m.role, active: m.invite === null && m.hash !== null } : null;
}

export async function setMemberRole(db: Db, orgId: string, userId: string, role: Role): Promise<void> {
  await db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
}

export async function deleteMember(db: Db, orgId: string, userId: string): Promise<void> {
  await db.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
}

/** The oldest org among the memberships the user has accepted, or null. */
export async function firstAcceptedOrg(db: Db, userId: string): Promise<string | null> {
  const [membership] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, userId), isNull(memberships.inviteTokenHash)))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  return membership?.orgId ?? null;
}

/** The user of this email, created without a password if new; `hasPassword`: the account is set up. */
export async function ensureUser(db: Db, email: string): Promise<{ id: string; hasPassword: boolean }> {
  await db.insert(users).values({ email }).onConflictDoNothing();
  const [user] = await db
    .select({ id: users.id, hash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  return { id: user!.id, hasPassword: Boolean(user!.hash) };
}

/** Whether the user has a membership in the org, and whether it is still an open invite; null if none. */
export async function findMembership(
  db: Db,
  orgId: string,
  userId: string,
): Promise<{ invitePending: boolean } | null> {
  const [member] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .limit(1);
  return member ? { invitePending: member.inviteTokenHash !== null } : null;
}

export async function saveMembership(
  db: Db,
  membership: { orgId: string; userId: string; role: Role } & MembershipColumns,
  exists: boolean,
): Promise<void> {
  const { orgId, userId, ...values } = membership;
  if (exists)
    await db
      .update(memberships)
      .set(values)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  else await db.insert(memberships).values(membership);
}

/** The unexpired invite with this token hash: its org, and its user with whether the account has a password. */
export async function findInviteByHash(db: Db, tokenHash: string) {
  const [row] = await db
    .select({
      orgId: memberships.orgId,
      orgName: orgs.name,
      userId: users.id,
      email: users.email,
      hash: users.passwordHash,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(and(eq(memberships.inviteTokenHash, tokenHash), gt(memberships.inviteExpiresAt, new Date())))
    .limit(1);
  if (!row) return null;
  const { hash, ...invite } = row;
  return { ...invite, hasPassword: hash !== null };
}

/** Marks the invite with this token hash accepted; false when it is gone (used, replaced or removed meanwhile). */
export async function acceptMembership(
  db: Db,
  invite: { orgId: string; userId: string },
  tokenHash: string,
): Promise<boolean> {
  const [done] = await db
    .update(memberships)
    .set({ inviteTokenHash: null, inviteExpiresAt: null })
    .where(
      and(
        eq(memberships.orgId, invite.orgId),
        eq(memberships.userId, invite.userId),
        eq(memberships.inviteTokenHash, tokenHash),
      ),
    )
    .returning({ orgId: memberships.orgId });
  return Boolean(done);
}

/** Sets name and password of an account that has no password yet; false if it got one meanwhile. */
export async function setUpAccount(
  db: Db,
  userId: string,
  values: { name: string; passwordHash: string },
): Promise<boolean> {
  const [set] = await db
    .update(users)
    .set(values)
    .where(and(eq(users.id, userId), isNull(users.passwordHash)))
    .returning({ id: users.id });
  return Boolean(set);
}

/** Adds an accepted membership; `ifAbsent` leaves an existing one as it is. */
export async function addMember(
  db: Db,
  orgId: string,
  userId: string,
  role: Role,
  opts: { ifAbsent?: boolean } = {},
): Promise<void> {
  const insert = db.insert(memberships).values({ orgId, userId, role });
  await (opts.ifAbsent ? insert.onConflictDoNothing() : insert);
}

export async function anyUserExists(db: Db): Promise<boolean> {
  const [existing] = await db.select({ id: users.id }).from(users).limit(1);
  return Boolean(existing);
}

/** Creates a user unless the email is taken; the new user's id, or null when it was. */
export async function insertUserIfAbsent(
  db: Db,
  user: { email: string; name: string; passwordHash: string; instanceAdmin: boolean },
): Promise<string | null> {
  const [created] = await db.insert(users).values(user).onConflictDoNothing().returning({ id: users.id });
  return created?.id ?? null;
}

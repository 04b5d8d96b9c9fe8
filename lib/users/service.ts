import "server-only";
import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, users } from "@/db/schema";
import { recordAudit } from "../audit/repo";
import { authorize } from "../auth/authenticate";
import { hashPassword, randomToken, sha256 } from "../crypto/hash";
import { AppError } from "../errors";
import type { Ctx } from "../registries/service";
import { parseWith } from "../validation";
import { AcceptInviteInput, ChangeRoleInput, type InviteResult, InviteUserInput, type MemberView } from "./schema";

type UserCtx = Pick<Ctx, "db" | "actor">;
const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export async function listMembers(ctx: UserCtx): Promise<MemberView[]> {
  authorize(ctx.actor, "viewer");
  const rows = await ctx.db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, hash: users.passwordHash, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, ctx.actor.orgId))
    .orderBy(asc(users.email));
  return rows.map((r) => ({ userId: r.userId, email: r.email, name: r.name, role: r.role, pending: r.hash === null, createdAt: r.createdAt.toISOString() }));
}

function newInvite() {
  const token = randomToken(24);
  return { token, columns: { inviteTokenHash: sha256(token), inviteExpiresAt: new Date(Date.now() + INVITE_TTL_MS) } };
}

/**
 * Adds a member. A user without a password yet (new, or invited earlier and never accepted) gets a
 * fresh invite token, returned once; a user with an account is simply added.
 */
export async function inviteUser(ctx: UserCtx, body: unknown): Promise<InviteResult> {
  authorize(ctx.actor, "admin");
  const input = parseWith(InviteUserInput, body);
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(users).where(eq(users.email, input.email)).limit(1);
    const invite = existing?.passwordHash ? null : newInvite();
    let userId = existing?.id;
    if (!userId) {
      const [created] = await tx.insert(users).values({ email: input.email, ...invite!.columns }).returning({ id: users.id });
      userId = created!.id;
    }
    const added = await tx.insert(memberships).values({ orgId: ctx.actor.orgId, userId, role: input.role }).onConflictDoNothing().returning();
    if (added.length === 0) throw new AppError("CONFLICT", `${input.email} is already a member of this org.`, { email: "is already a member" });
    if (existing && invite) await tx.update(users).set(invite.columns).where(eq(users.id, userId));
    await recordAudit(tx, ctx.actor, "user.invite", input.email, { role: input.role });
    return { userId, email: input.email, role: input.role, inviteToken: invite?.token ?? null };
  });
}

async function adminCount(db: Db, orgId: string): Promise<number> {
  const rows = await db.select({ u: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.role, "admin")));
  return rows.length;
}

async function requireMember(db: Db, orgId: string, userId: string) {
  const [m] = isUuid(userId) ? await db.select().from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))).limit(1) : [];
  if (!m) throw new AppError("NOT_FOUND", "That user is not a member of this org.");
  return m;
}

export async function changeRole(ctx: UserCtx, userId: string, body: unknown): Promise<MemberView["role"]> {
  authorize(ctx.actor, "admin");
  const input = parseWith(ChangeRoleInput, body);
  const member = await requireMember(ctx.db, ctx.actor.orgId, userId);
  if (member.role === "admin" && input.role !== "admin" && (await adminCount(ctx.db, ctx.actor.orgId)) <= 1) {
    throw new AppError("CONFLICT", "An org needs at least one admin; promote someone else first.", { role: "would leave the org without an admin" });
  }
  await ctx.db.update(memberships).set({ role: input.role }).where(and(eq(memberships.orgId, ctx.actor.orgId), eq(memberships.userId, userId)));
  await recordAudit(ctx.db, ctx.actor, "user.role", userId, { role: input.role });
  return input.role;
}

export async function removeMember(ctx: UserCtx, userId: string): Promise<void> {
  authorize(ctx.actor, "admin");
  if (userId === ctx.actor.userId) throw new AppError("CONFLICT", "You cannot remove yourself.");
  const member = await requireMember(ctx.db, ctx.actor.orgId, userId);
  if (member.role === "admin" && (await adminCount(ctx.db, ctx.actor.orgId)) <= 1) throw new AppError("CONFLICT", "An org needs at least one admin; promote someone else first.");
  await ctx.db.delete(memberships).where(and(eq(memberships.orgId, ctx.actor.orgId), eq(memberships.userId, userId)));
  await recordAudit(ctx.db, ctx.actor, "user.remove", userId);
}

async function firstOrgOf(db: Db, userId: string): Promise<string> {
  const [membership] = await db.select().from(memberships).where(eq(memberships.userId, userId)).orderBy(asc(memberships.createdAt)).limit(1);
  if (!membership) throw new AppError("FORBIDDEN", "Your account is not a member of any org.");
  return membership.orgId;
}

async function findInvitedUser(db: Db, token: string) {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.inviteTokenHash, sha256(token)), gt(users.inviteExpiresAt, new Date())))
    .limit(1);
  return user ?? null;
}

/** The email an unexpired invite token belongs to, or null; the token itself is the credential. */
export async function findInvite(db: Db, token: string): Promise<{ email: string } | null> {
  const user = await findInvitedUser(db, token);
  return user ? { email: user.email } : null;
}

/** Sets the invited user's name and password; returns where to open their first session. */
export async function acceptInvite(db: Db, body: unknown): Promise<{ userId: string; orgId: string }> {
  const input = parseWith(AcceptInviteInput, body);
  const user = await findInvitedUser(db, input.token);
  if (!user) throw new AppError("NOT_FOUND", "This invite link is invalid or has expired. Ask an admin for a new one.");
  const orgId = await firstOrgOf(db, user.id);
  const passwordHash = await hashPassword(input.password);
  // Matching on the hash again makes a second, concurrent accept of the same link fail.
  const [done] = await db
    .update(users)
    .set({ name: input.name, passwordHash, inviteTokenHash: null, inviteExpiresAt: null })
    .where(and(eq(users.id, user.id), eq(users.inviteTokenHash, sha256(input.token))))
    .returning({ id: users.id });
  if (!done) throw new AppError("NOT_FOUND", "This invite link has already been used.");
  return { userId: user.id, orgId };
}

import "server-only";
import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, users } from "@/db/schema";
import { recordAudit } from "../audit/repo";
import { authorize } from "../auth/authenticate";
import { hashPassword, randomToken, sha256, verifyPassword } from "../crypto/hash";
import { AppError } from "../errors";
import type { Ctx } from "../registries/service";
import { parseWith } from "../validation";
import { AcceptInviteInput, ChangeRoleInput, InviteUserInput, type MemberView, SignInInput } from "./schema";

type UserCtx = Pick<Ctx, "db" | "actor">;
const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

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

/** Adds a member; a new user gets an invite token (returned once) to set a password. */
export async function inviteUser(ctx: UserCtx, body: unknown): Promise<{ inviteToken: string | null }> {
  authorize(ctx.actor, "admin");
  const input = parseWith(InviteUserInput, body);
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(users).where(eq(users.email, input.email)).limit(1);
    let inviteToken: string | null = null;
    let userId = existing?.id;
    if (!userId) {
      inviteToken = randomToken(24);
      const [created] = await tx
        .insert(users)
        .values({ email: input.email, inviteTokenHash: sha256(inviteToken), inviteExpiresAt: new Date(Date.now() + INVITE_TTL_MS) })
        .returning({ id: users.id });
      userId = created!.id;
    }
    const added = await tx.insert(memberships).values({ orgId: ctx.actor.orgId, userId, role: input.role }).onConflictDoNothing().returning();
    if (added.length === 0) throw new AppError("CONFLICT", `${input.email} is already a member of this org.`, { email: "is already a member" });
    await recordAudit(tx, ctx.actor, "user.invite", input.email, { role: input.role });
    return { inviteToken };
  });
}

async function adminCount(db: Db, orgId: string): Promise<number> {
  const rows = await db.select({ u: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.role, "admin")));
  return rows.length;
}

async function requireMember(db: Db, orgId: string, userId: string) {
  const [m] = await db.select().from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))).limit(1);
  if (!m) throw new AppError("NOT_FOUND", "That user is not a member of this org.");
  return m;
}

export async function changeRole(ctx: UserCtx, body: unknown): Promise<void> {
  authorize(ctx.actor, "admin");
  const input = parseWith(ChangeRoleInput, body);
  const member = await requireMember(ctx.db, ctx.actor.orgId, input.userId);
  if (member.role === "admin" && input.role !== "admin" && (await adminCount(ctx.db, ctx.actor.orgId)) <= 1) {
    throw new AppError("CONFLICT", "An org needs at least one admin; promote someone else first.", { role: "would leave the org without an admin" });
  }
  await ctx.db.update(memberships).set({ role: input.role }).where(and(eq(memberships.orgId, ctx.actor.orgId), eq(memberships.userId, input.userId)));
  await recordAudit(ctx.db, ctx.actor, "user.role", input.userId, { role: input.role });
}

export async function removeMember(ctx: UserCtx, userId: string): Promise<void> {
  authorize(ctx.actor, "admin");
  if (userId === ctx.actor.userId) throw new AppError("CONFLICT", "You cannot remove yourself.");
  const member = await requireMember(ctx.db, ctx.actor.orgId, userId);
  if (member.role === "admin" && (await adminCount(ctx.db, ctx.actor.orgId)) <= 1) throw new AppError("CONFLICT", "An org needs at least one admin.");
  await ctx.db.delete(memberships).where(and(eq(memberships.orgId, ctx.actor.orgId), eq(memberships.userId, userId)));
  await recordAudit(ctx.db, ctx.actor, "user.remove", userId);
}

export async function acceptInvite(db: Db, body: unknown): Promise<{ userId: string }> {
  const input = parseWith(AcceptInviteInput, body);
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.inviteTokenHash, sha256(input.token)), gt(users.inviteExpiresAt, new Date())))
    .limit(1);
  if (!user) throw new AppError("NOT_FOUND", "This invite link is invalid or has expired. Ask an admin for a new one.");
  await db.update(users).set({ name: input.name, passwordHash: await hashPassword(input.password), inviteTokenHash: null, inviteExpiresAt: null }).where(eq(users.id, user.id));
  return { userId: user.id };
}

/** Checks email and password; returns the user and their first org. Same message for every failure. */
export async function signIn(db: Db, body: unknown): Promise<{ userId: string; orgId: string }> {
  const input = parseWith(SignInInput, body);
  const [user] = await db.select().from(users).where(eq(users.email, input.email)).limit(1);
  const ok = user?.passwordHash ? await verifyPassword(input.password, user.passwordHash) : false;
  if (!user || !ok) throw new AppError("UNAUTHENTICATED", "Wrong email or password.");
  const [membership] = await db.select().from(memberships).where(eq(memberships.userId, user.id)).orderBy(asc(memberships.createdAt)).limit(1);
  if (!membership) throw new AppError("FORBIDDEN", "Your account is not a member of any org.");
  return { userId: user.id, orgId: membership.orgId };
}

import "server-only";
import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, users } from "@/db/schema";
import { recordAudit } from "../audit/repo";
import { authorize } from "../auth/authenticate";
import { AppError } from "../errors";
import type { Ctx } from "../context";
import { isUuid, parseWith } from "../validation";
import { ChangeRoleInput, type MemberView } from "./schema";

type UserCtx = Pick<Ctx, "db" | "actor">;

export async function listMembers(ctx: UserCtx): Promise<MemberView[]> {
  authorize(ctx.actor, "viewer");
  const rows = await ctx.db
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
    .where(eq(memberships.orgId, ctx.actor.orgId))
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
async function activeAdminCount(db: Db, orgId: string): Promise<number> {
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

async function requireMember(db: Db, orgId: string, userId: string) {
  const [m] = isUuid(userId)
    ? await db
        .select({ role: memberships.role, invite: memberships.inviteTokenHash, hash: users.passwordHash })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
        .limit(1)
    : [];
  if (!m) throw new AppError("NOT_FOUND", "That user is not a member of this org.");
  return { role: m.role, active: m.invite === null && m.hash !== null };
}

const LAST_ADMIN =
  "An org needs at least one admin who can sign in; promote someone who has accepted their invite first.";

export async function changeRole(ctx: UserCtx, userId: string, body: unknown): Promise<MemberView["role"]> {
  authorize(ctx.actor, "admin");
  const input = parseWith(ChangeRoleInput, body);
  const member = await requireMember(ctx.db, ctx.actor.orgId, userId);
  if (
    member.role === "admin" &&
    member.active &&
    input.role !== "admin" &&
    (await activeAdminCount(ctx.db, ctx.actor.orgId)) <= 1
  ) {
    throw new AppError("CONFLICT", LAST_ADMIN, { role: "would leave the org without an admin who can sign in" });
  }
  await ctx.db
    .update(memberships)
    .set({ role: input.role })
    .where(and(eq(memberships.orgId, ctx.actor.orgId), eq(memberships.userId, userId)));
  await recordAudit(ctx.db, ctx.actor, "user.role", userId, { role: input.role });
  return input.role;
}

export async function removeMember(ctx: UserCtx, userId: string): Promise<void> {
  authorize(ctx.actor, "admin");
  if (userId === ctx.actor.userId) throw new AppError("CONFLICT", "You cannot remove yourself.");
  const member = await requireMember(ctx.db, ctx.actor.orgId, userId);
  if (member.role === "admin" && member.active && (await activeAdminCount(ctx.db, ctx.actor.orgId)) <= 1)
    throw new AppError("CONFLICT", LAST_ADMIN);
  await ctx.db.delete(memberships).where(and(eq(memberships.orgId, ctx.actor.orgId), eq(memberships.userId, userId)));
  await recordAudit(ctx.db, ctx.actor, "user.remove", userId);
}

/** The user's first org among the memberships they have accepted. */
export async function firstOrgOf(db: Db, userId: string): Promise<string> {
  const [membership] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, userId), isNull(memberships.inviteTokenHash)))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  if (!membership)
    throw new AppError(
      "FORBIDDEN",
      "Your account is not a member of any org any more. Ask an admin of your org to add you again.",
    );
  return membership.orgId;
}

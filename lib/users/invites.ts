import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, orgs, users } from "@/db/schema";
import { recordAudit } from "../audit/repo";
import type { Actor } from "../auth/actor";
import { authorize } from "../auth/authenticate";
import { hashPassword, randomToken, sha256 } from "../crypto/hash";
import { AppError } from "../errors";
import type { Ctx } from "../registries/service";
import { parseWith } from "../validation";
import { AcceptInviteInput, type InviteResult, InviteUserInput } from "./schema";

type UserCtx = Pick<Ctx, "db" | "actor">;
const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

function newInvite() {
  const token = randomToken(24);
  return { token, columns: { inviteTokenHash: sha256(token), inviteExpiresAt: new Date(Date.now() + INVITE_TTL_MS) } };
}
const accepted = { inviteTokenHash: null, inviteExpiresAt: null };

/**
 * Adds a member to the actor's org. Someone with an account (a password) is added at once and signs in
 * with that password; anyone else gets an invite bound to this org's membership only, returned once.
 * Inviting a pending member again replaces the link; an active member is a conflict.
 */
export async function inviteUser(ctx: UserCtx, body: unknown): Promise<InviteResult> {
  authorize(ctx.actor, "admin");
  const input = parseWith(InviteUserInput, body);
  const orgId = ctx.actor.orgId;
  return ctx.db.transaction(async (tx) => {
    await tx.insert(users).values({ email: input.email }).onConflictDoNothing();
    const [user] = await tx
      .select({ id: users.id, hash: users.passwordHash })
      .from(users)
      .where(eq(users.email, input.email))
      .limit(1);
    const userId = user!.id;
    const invite = user!.hash ? null : newInvite();
    const columns = invite?.columns ?? accepted;
    const [member] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
      .limit(1);
    if (member && member.inviteTokenHash === null && user!.hash) {
      throw new AppError("CONFLICT", `${input.email} is already a member of this org.`, {
        email: `${input.email} is already a member of this org`,
      });
    }
    if (member)
      await tx
        .update(memberships)
        .set({ role: input.role, ...columns })
        .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
    else await tx.insert(memberships).values({ orgId, userId, role: input.role, ...columns });
    await recordAudit(tx, ctx.actor, "user.invite", input.email, {
      role: input.role,
      ...(invite ? { link: true } : {}),
    });
    return { userId, email: input.email, role: input.role, inviteToken: invite?.token ?? null };
  });
}

async function findMembershipInvite(db: Db, token: string) {
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
    .where(and(eq(memberships.inviteTokenHash, sha256(token)), gt(memberships.inviteExpiresAt, new Date())))
    .limit(1);
  return row ?? null;
}

export type InviteInfo = { email: string; orgId: string; orgName: string; userId: string; existingAccount: boolean };

/** What an unexpired invite token is for, or null; the token itself is the credential. */
export async function findInvite(db: Db, token: string): Promise<InviteInfo | null> {
  const row = await findMembershipInvite(db, token);
  return row
    ? {
        email: row.email,
        orgId: row.orgId,
        orgName: row.orgName,
        userId: row.userId,
        existingAccount: row.hash !== null,
      }
    : null;
}

function acceptor(invite: { orgId: string; userId: string; email: string }): Actor {
  return {
    orgId: invite.orgId,
    role: "viewer",
    kind: "user",
    userId: invite.userId,
    tokenId: null,
    label: invite.email,
    scopes: [],
  };
}

function gone(): AppError {
  return new AppError(
    "NOT_FOUND",
    "This invite link is invalid, expired or already used. Ask an admin of the org for a new one.",
  );
}

/**
 * Accepts an invite: activates exactly the membership it was issued for. A user without a password sets
 * name and password here; an existing account is never changed by a link: its owner must be signed in.
 */
export async function acceptInvite(
  db: Db,
  body: unknown,
  signedInUserId: string | null,
): Promise<{ userId: string; orgId: string }> {
  const token =
    typeof body === "object" && body !== null && "token" in body ? String((body as { token: unknown }).token) : "";
  const invite = await findMembershipInvite(db, token);
  if (!invite) throw gone();
  const where = and(
    eq(memberships.orgId, invite.orgId),
    eq(memberships.userId, invite.userId),
    eq(memberships.inviteTokenHash, sha256(token)),
  );
  if (invite.hash !== null) {
    if (signedInUserId !== invite.userId)
      throw new AppError(
        "FORBIDDEN",
        `This invite is for the existing account ${invite.email}: sign in as ${invite.email}, then open the link again.`,
      );
    const [done] = await db.update(memberships).set(accepted).where(where).returning({ orgId: memberships.orgId });
    if (!done) throw gone();
    await recordAudit(db, acceptor(invite), "user.accept", invite.email, { existingAccount: true });
    return { userId: invite.userId, orgId: invite.orgId };
  }
  const input = parseWith(AcceptInviteInput, body);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    // Matching on the token hash again makes a second, concurrent accept of the same link fail.
    const [done] = await tx.update(memberships).set(accepted).where(where).returning({ orgId: memberships.orgId });
    if (!done) throw gone();
    const [set] = await tx
      .update(users)
      .set({ name: input.name, passwordHash })
      .where(and(eq(users.id, invite.userId), isNull(users.passwordHash)))
      .returning({ id: users.id });
    if (!set)
      throw new AppError(
        "CONFLICT",
        `The account ${invite.email} was set up meanwhile: sign in as ${invite.email}, then open the link again.`,
      );
    await recordAudit(tx, acceptor(invite), "user.accept", invite.email, { existingAccount: false });
    return { userId: invite.userId, orgId: invite.orgId };
  });
}

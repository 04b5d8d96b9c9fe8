import "server-only";
import type { Db } from "@/db/client";
import { recordAudit } from "../audit/repo";
import type { Actor } from "../auth/actor";
import { authorize } from "../auth/authenticate";
import { hashPassword, randomToken, sha256 } from "../crypto/hash";
import { AppError } from "../errors";
import type { Ctx } from "../context";
import { parseWith } from "../validation";
import * as repo from "./repo";
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
    const user = await repo.ensureUser(tx, input.email);
    const userId = user.id;
    const invite = user.hasPassword ? null : newInvite();
    const columns = invite?.columns ?? accepted;
    const member = await repo.findMembership(tx, orgId, userId);
    if (member && !member.invitePending && user.hasPassword) {
      throw new AppError("CONFLICT", `${input.email} is already a member of this org.`, {
        fields: { email: `${input.email} is already a member of this org` },
      });
    }
    await repo.saveMembership(tx, { orgId, userId, role: input.role, ...columns }, member !== null);
    await recordAudit(tx, ctx.actor, "user.invite", input.email, {
      role: input.role,
      ...(invite ? { link: true } : {}),
    });
    return { userId, email: input.email, role: input.role, inviteToken: invite?.token ?? null };
  });
}

export type InviteInfo = { email: string; orgId: string; orgName: string; userId: string; existingAccount: boolean };

/** What an unexpired invite token is for, or null; the token itself is the credential. */
export async function findInvite(db: Db, token: string): Promise<InviteInfo | null> {
  const row = await repo.findInviteByHash(db, sha256(token));
  return row
    ? {
        email: row.email,
        orgId: row.orgId,
        orgName: row.orgName,
        userId: row.userId,
        existingAccount: row.hasPassword,
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
  const tokenHash = sha256(token);
  const invite = await repo.findInviteByHash(db, tokenHash);
  if (!invite) throw gone();
  if (invite.hasPassword) {
    if (signedInUserId !== invite.userId)
      throw new AppError(
        "FORBIDDEN",
        `This invite is for the existing account ${invite.email}: sign in as ${invite.email}, then open the link again.`,
      );
    if (!(await repo.acceptMembership(db, invite, tokenHash))) throw gone();
    await recordAudit(db, acceptor(invite), "user.accept", invite.email, { existingAccount: true });
    return { userId: invite.userId, orgId: invite.orgId };
  }
  const input = parseWith(AcceptInviteInput, body);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    // Matching on the token hash again makes a second, concurrent accept of the same link fail.
    if (!(await repo.acceptMembership(tx, invite, tokenHash))) throw gone();
    if (!(await repo.setUpAccount(tx, invite.userId, { name: input.name, passwordHash })))
      throw new AppError(
        "CONFLICT",
        `The account ${invite.email} was set up meanwhile: sign in as ${invite.email}, then open the link again.`,
      );
    await recordAudit(tx, acceptor(invite), "user.accept", invite.email, { existingAccount: false });
    return { userId: invite.userId, orgId: invite.orgId };
  });
}

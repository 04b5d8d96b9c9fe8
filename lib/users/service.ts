import "server-only";
import type { Db } from "@/db/client";
import { recordAudit } from "../audit/repo";
import { authorize } from "../auth/authenticate";
import { AppError } from "../errors";
import type { Ctx } from "../context";
import { parseWith } from "../validation";
import * as repo from "./repo";
import { ChangeRoleInput, type MemberView } from "./schema";

type UserCtx = Pick<Ctx, "db" | "actor">;

export async function listMembers(ctx: UserCtx): Promise<MemberView[]> {
  authorize(ctx.actor, "viewer");
  return repo.listMembers(ctx.db, ctx.actor.orgId);
}

async function requireMember(db: Db, orgId: string, userId: string) {
  const member = await repo.findMember(db, orgId, userId);
  if (!member) throw new AppError("NOT_FOUND", "That user is not a member of this org.");
  return member;
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
    (await repo.activeAdminCount(ctx.db, ctx.actor.orgId)) <= 1
  ) {
    throw new AppError("CONFLICT", LAST_ADMIN, {
      fields: { role: "would leave the org without an admin who can sign in" },
    });
  }
  await repo.setMemberRole(ctx.db, ctx.actor.orgId, userId, input.role);
  await recordAudit(ctx.db, ctx.actor, "user.role", userId, { role: input.role });
  return input.role;
}

export async function removeMember(ctx: UserCtx, userId: string): Promise<void> {
  authorize(ctx.actor, "admin");
  if (userId === ctx.actor.userId) throw new AppError("CONFLICT", "You cannot remove yourself.");
  const member = await requireMember(ctx.db, ctx.actor.orgId, userId);
  if (member.role === "admin" && member.active && (await repo.activeAdminCount(ctx.db, ctx.actor.orgId)) <= 1)
    throw new AppError("CONFLICT", LAST_ADMIN);
  await repo.deleteMember(ctx.db, ctx.actor.orgId, userId);
  await recordAudit(ctx.db, ctx.actor, "user.remove", userId);
}

/** The user's first org among the memberships they have accepted. */
export async function firstOrgOf(db: Db, userId: string): Promise<string> {
  const orgId = await repo.firstAcceptedOrg(db, userId);
  if (!orgId)
    throw new AppError(
      "FORBIDDEN",
      "Your account is not a member of any org any more. Ask an admin of your org to add you again.",
    );
  return orgId;
}

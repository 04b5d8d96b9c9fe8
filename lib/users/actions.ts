"use server";

import { revalidatePath } from "next/cache";
import { toActionError, withActor } from "../action";
import { startSession } from "../auth/session-cookie";
import type { ActionResult } from "../result";
import { runtime } from "../runtime";
import type { InviteResult, MemberView } from "./schema";
import { acceptInvite, changeRole, inviteUser, listMembers, removeMember } from "./service";

export async function listMembersAction(): Promise<ActionResult<MemberView[]>> {
  return withActor("listMembers", (ctx) => listMembers(ctx));
}

export async function inviteUserAction(body: unknown): Promise<ActionResult<InviteResult>> {
  const result = await withActor("inviteUser", (ctx) => inviteUser(ctx, body));
  if (result.ok) revalidatePath("/settings");
  return result;
}

export async function changeRoleAction(userId: string, body: unknown): Promise<ActionResult<MemberView["role"]>> {
  const result = await withActor("changeRole", (ctx) => changeRole(ctx, userId, body));
  if (result.ok) revalidatePath("/", "layout");
  return result;
}

export async function removeMemberAction(userId: string): Promise<ActionResult<null>> {
  const result = await withActor("removeMember", async (ctx) => {
    await removeMember(ctx, userId);
    return null;
  });
  if (result.ok) revalidatePath("/settings");
  return result;
}

/** Sets the invited user's name and password and signs them in. */
export async function acceptInviteAction(input: { token: string; name: string; password: string }): Promise<ActionResult<null>> {
  try {
    const { database } = await runtime();
    const { userId, orgId } = await acceptInvite(database.db, input);
    await startSession(database.db, userId, orgId);
    return { ok: true, data: null };
  } catch (err) {
    return toActionError("acceptInvite", err);
  }
}

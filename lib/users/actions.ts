"use server";

import { revalidatePath } from "next/cache";
import { toActionError, withActor } from "../action";
import { startSession } from "../auth/session-cookie";
import { currentSession, setSessionOrg } from "../orgs/session-org";
import type { ActionResult } from "../result";
import { runtime } from "../runtime";
import { acceptInvite, inviteUser } from "./invites";
import type { InviteResult, MemberView } from "./schema";
import { changeRole, listMembers, removeMember } from "./service";

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

/**
 * Accepts an invite. A new user sets name and password and is signed in; an existing account must
 * already be signed in as itself, and its session moves to the org it joined.
 */
export async function acceptInviteAction(input: {
  token: string;
  name?: string;
  password?: string;
}): Promise<ActionResult<null>> {
  try {
    const { database } = await runtime();
    const session = await currentSession(database.db);
    const { userId, orgId } = await acceptInvite(database.db, input, session?.userId ?? null);
    if (session && session.userId === userId) await setSessionOrg(database.db, session.token, userId, orgId);
    else await startSession(database.db, userId, orgId);
    revalidatePath("/", "layout");
    return { ok: true, data: null };
  } catch (err) {
    return toActionError("acceptInvite", err);
  }
}

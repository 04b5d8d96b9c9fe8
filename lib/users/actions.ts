"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { toActionError, withActor, withInput } from "../action";
import { startSession } from "../auth/session-cookie";
import { currentSession, setSessionOrg } from "../orgs/session-org";
import type { ActionResult } from "../result";
import { runtime } from "../runtime";
import { acceptInvite, inviteUser } from "./invites";
import { AcceptInviteInput, ChangeRoleInput, type InviteResult, InviteUserInput, type MemberView } from "./schema";
import { changeRole, listMembers, removeMember } from "./service";

export async function listMembersAction(): Promise<ActionResult<MemberView[]>> {
  return withActor("listMembers", (ctx) => listMembers(ctx));
}

export async function inviteUserAction(input: z.input<typeof InviteUserInput>): Promise<ActionResult<InviteResult>> {
  const result = await withInput("inviteUser", InviteUserInput, input, inviteUser);
  if (result.ok) revalidatePath("/settings");
  return result;
}

export async function changeRoleAction(
  userId: string,
  input: z.input<typeof ChangeRoleInput>,
): Promise<ActionResult<MemberView["role"]>> {
  const result = await withInput("changeRole", ChangeRoleInput, input, (ctx, body) => changeRole(ctx, userId, body));
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
export async function acceptInviteAction(
  input: Pick<z.input<typeof AcceptInviteInput>, "token"> & Partial<z.input<typeof AcceptInviteInput>>,
): Promise<ActionResult<null>> {
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

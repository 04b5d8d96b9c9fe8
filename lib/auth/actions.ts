"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { toActionError } from "../action";
import { clientOf } from "../net/peer";
import type { ActionResult } from "../result";
import { runtime } from "../runtime";
import { deleteSession, SESSION_COOKIE } from "./session";
import { startSession } from "./session-cookie";
import type { SignInInput } from "../users/schema";
import { signIn } from "./sign-in";

export async function signInAction(input: z.input<typeof SignInInput>): Promise<ActionResult<null>> {
  try {
    const { database } = await runtime();
    const { userId, orgId } = await signIn(database.db, input, clientOf(await headers()));
    await startSession(database.db, userId, orgId);
    return { ok: true, data: null };
  } catch (err) {
    return toActionError("signIn", err);
  }
}

export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) await deleteSession((await runtime()).database.db, token);
  jar.delete(SESSION_COOKIE);
  redirect("/login");
}

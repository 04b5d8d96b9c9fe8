"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { toActionError } from "../action";
import { env } from "../env";
import type { ActionResult } from "../result";
import { runtime } from "../runtime";
import { signIn } from "../users/service";
import { createSession, deleteSession, SESSION_COOKIE } from "./session";

export async function signInAction(input: { email: string; password: string }): Promise<ActionResult<null>> {
  try {
    const { database } = await runtime();
    const { userId, orgId } = await signIn(database.db, input);
    const { token, expiresAt } = await createSession(database.db, userId, orgId);
    (await cookies()).set(SESSION_COOKIE, token, { httpOnly: true, sameSite: "lax", secure: env().REGCRED_SECURE_COOKIES, path: "/", expires: expiresAt });
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

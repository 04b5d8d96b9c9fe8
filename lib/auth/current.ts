import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { isAppError } from "../errors";
import { runtime } from "../runtime";
import type { Actor } from "./actor";
import { actorForSession } from "./authenticate";
import { findSession, SESSION_COOKIE } from "./session";

/** The signed-in user's actor for their current org, or null. */
export const getSessionActor = cache(async (): Promise<Actor | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  const { database } = await runtime();
  const session = await findSession(database.db, token);
  if (!session) return null;
  try {
    return await actorForSession(database.db, session, session.orgId);
  } catch (err) {
    if (isAppError(err)) return null;
    throw err;
  }
});

export async function requireActor(): Promise<Actor> {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  return actor;
}

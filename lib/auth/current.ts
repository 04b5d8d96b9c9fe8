import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { isAppError } from "../errors";
import { runtime } from "../runtime";
import type { Actor } from "./actor";
import { actorForSession } from "./authenticate";
import { activeOrgIds } from "../orgs/repo";
import { setSessionOrg } from "../orgs/session-org";
import { findSession, SESSION_COOKIE } from "./session";
import { REQUESTED_PATH_HEADER, signInUrlFor } from "./sign-in-redirect";

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
    if (!isAppError(err)) throw err;
  }
  // Removed from the session's org: continue in another org the user still belongs to, if any.
  const [next] = await activeOrgIds(database.db, session.userId);
  if (!next || !(await setSessionOrg(database.db, token, session.userId, next))) return null;
  return actorForSession(database.db, session, next);
});

/** The signed-in actor; without a session, the sign-in page; with a session but no org left, /no-org. */
export async function requireActor(): Promise<Actor> {
  const actor = await getSessionActor();
  if (actor) return actor;
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (token && (await findSession((await runtime()).database.db, token))) redirect("/no-org");
  redirect(signInUrlFor((await headers()).get(REQUESTED_PATH_HEADER) ?? "/"));
}

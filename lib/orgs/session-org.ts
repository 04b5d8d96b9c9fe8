import "server-only";
import { cookies } from "next/headers";
import type { Db } from "@/db/client";
import { setSessionOrgId } from "../auth/repo";
import { findSession, SESSION_COOKIE } from "../auth/session";
import { sha256 } from "../crypto/hash";
import { hasAcceptedMembership } from "./repo";

/** The session of the request's cookie, with its token, or null. */
export async function currentSession(db: Db) {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  const session = await findSession(db, token);
  return session ? { ...session, token } : null;
}

/** Points a session at another org; only to an org where its user has an accepted membership. */
export async function setSessionOrg(db: Db, token: string, userId: string, orgId: string): Promise<boolean> {
  if (!(await hasAcceptedMembership(db, userId, orgId))) return false;
  await setSessionOrgId(db, sha256(token), orgId);
  return true;
}

import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import { cookies } from "next/headers";
import type { Db } from "@/db/client";
import { memberships, sessions } from "@/db/schema";
import { sha256 } from "../crypto/hash";
import { findSession, SESSION_COOKIE } from "../auth/session";

/** The session of the request's cookie, with its token, or null. */
export async function currentSession(db: Db) {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  const session = await findSession(db, token);
  return session ? { ...session, token } : null;
}

/** Points a session at another org; only to an org where its user has an accepted membership. */
export async function setSessionOrg(db: Db, token: string, userId: string, orgId: string): Promise<boolean> {
  const [member] = await db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId), isNull(memberships.inviteTokenHash)))
    .limit(1);
  if (!member) return false;
  await db
    .update(sessions)
    .set({ orgId })
    .where(eq(sessions.tokenHash, sha256(token)));
  return true;
}

/** The orgs a user has accepted memberships in, oldest first (sign-in lands in the first). */
export async function activeOrgIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), isNull(memberships.inviteTokenHash)))
    .orderBy(asc(memberships.createdAt));
  return rows.map((r) => r.orgId);
}

import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiTokens, memberships, sessions, users } from "@/db/schema";
import type { Role } from "./roles";

export async function insertSession(
  db: Db,
  session: { tokenHash: string; userId: string; orgId: string; expiresAt: Date },
): Promise<void> {
  await db.insert(sessions).values(session);
}

/** The unexpired session with this token hash, with its user's email and name. */
export async function findSessionByHash(db: Db, tokenHash: string) {
  const [row] = await db
    .select({ userId: sessions.userId, orgId: sessions.orgId, email: users.email, name: users.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date())))
    .limit(1);
  return row ?? null;
}

export async function deleteSessionByHash(db: Db, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function setSessionOrgId(db: Db, tokenHash: string, orgId: string): Promise<void> {
  await db.update(sessions).set({ orgId }).where(eq(sessions.tokenHash, tokenHash));
}

/** The unrevoked API token with this hash, or null. */
export async function findActiveToken(db: Db, tokenHash: string) {
  const [token] = await db
    .select({
      id: apiTokens.id,
      orgId: apiTokens.orgId,
      name: apiTokens.name,
      role: apiTokens.role,
      scopes: apiTokens.scopes,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
    .limit(1);
  return token ?? null;
}

export async function markTokenUsed(db: Db, id: string): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, id));
}

/** The user's role in the org if they have accepted a membership there, else null. */
export async function findAcceptedRole(db: Db, orgId: string, userId: string): Promise<Role | null> {
  const [membership] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId), isNull(memberships.inviteTokenHash)))
    .limit(1);
  return membership?.role ?? null;
}

/** The account an email signs in to, with its password hash (null until the account is set up). */
export async function findLogin(db: Db, email: string): Promise<{ id: string; passwordHash: string | null } | null> {
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  return user ?? null;
}

/** Replaces the password hash only if it is still `oldHash`, so a concurrent password change is not overwritten. */
export async function replacePasswordHash(
  db: Db,
  userId: string,
  oldHash: string,
  passwordHash: string,
): Promise<void> {
  await db
    .update(users)
    .set({ passwordHash })
    .where(and(eq(users.id, userId), eq(users.passwordHash, oldHash)));
}

import "server-only";
import type { Db } from "@/db/client";
import { randomToken, sha256 } from "../crypto/hash";
import { deleteSessionByHash, findSessionByHash, insertSession } from "./repo";

export const SESSION_COOKIE = "regcred_session";
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

export async function createSession(
  db: Db,
  userId: string,
  orgId: string,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await insertSession(db, { tokenHash: sha256(token), userId, orgId, expiresAt });
  return { token, expiresAt };
}

export function findSession(db: Db, token: string) {
  return findSessionByHash(db, sha256(token));
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await deleteSessionByHash(db, sha256(token));
}

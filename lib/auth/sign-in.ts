import "server-only";
import type { Db } from "@/db/client";
import { hashPassword, needsRehash, verifyDummyPassword, verifyPassword } from "../crypto/hash";
import { AppError } from "../errors";
import { log } from "../log";
import { SignInInput } from "../users/schema";
import { firstOrgOf } from "../users/service";
import { parseWith } from "../validation";
import { findLogin, replacePasswordHash } from "./repo";
import { countSignInAttempt, resetAccountAttempts } from "./sign-in-limit";

export type SignInClient = { address: string };

// Matching on the old hash keeps a concurrent password change from being overwritten.
async function upgradeHash(db: Db, userId: string, oldHash: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await replacePasswordHash(db, userId, oldHash, passwordHash);
  log.info("password hash upgraded to the current cost", { userId });
}

/**
 * Checks email and password within the sign-in limits; returns the user and their first org.
 * Every attempt computes exactly one password hash, whether the account exists, has a password or not,
 * and every failure says the same thing.
 */
export async function signIn(db: Db, body: unknown, client: SignInClient): Promise<{ userId: string; orgId: string }> {
  const input = parseWith(SignInInput, body);
  await countSignInAttempt(input.email, client.address);
  const user = await findLogin(db, input.email);
  const stored = user?.passwordHash ?? null;
  const ok = stored ? await verifyPassword(input.password, stored) : await verifyDummyPassword(input.password);
  if (!user || !stored || !ok) throw new AppError("UNAUTHENTICATED", "Wrong email or password.");
  await resetAccountAttempts(input.email);
  if (needsRehash(stored)) await upgradeHash(db, user.id, stored, input.password);
  return { userId: user.id, orgId: await firstOrgOf(db, user.id) };
}

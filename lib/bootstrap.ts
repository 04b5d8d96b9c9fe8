import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiTokens, memberships, orgs, users } from "@/db/schema";
import { hashPassword, sha256 } from "./crypto/hash";
import { ensureInstallation } from "./installation/repo";
import type { Env } from "./env";
import { log } from "./log";

async function ensureAdmin(db: Db, e: Env): Promise<void> {
  const [existing] = await db.select({ id: users.id }).from(users).limit(1);
  if (existing) return;
  const generated = !e.REGCRED_ADMIN_PASSWORD;
  const password = e.REGCRED_ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
  const [user] = await db
    .insert(users)
    .values({
      email: e.REGCRED_ADMIN_EMAIL.toLowerCase(),
      name: "Administrator",
      passwordHash: await hashPassword(password),
      instanceAdmin: true,
    })
    .onConflictDoNothing()
    .returning({ id: users.id });
  // Another replica starting at the same moment created the first admin.
  if (!user) return;
  await db
    .insert(memberships)
    .values({ orgId: e.REGCRED_DEFAULT_ORG, userId: user.id, role: "admin" })
    .onConflictDoNothing();
  log.info("created the first admin", { email: e.REGCRED_ADMIN_EMAIL, org: e.REGCRED_DEFAULT_ORG });
  if (generated) {
    // Printed once, on purpose: this is the only way to learn a generated first password.
    process.stdout.write(
      `\n  Regcred first admin: ${e.REGCRED_ADMIN_EMAIL}\n  Generated password (shown once): ${password}\n\n`,
    );
  }
}

async function ensureBootstrapToken(db: Db, e: Env): Promise<void> {
  if (!e.REGCRED_BOOTSTRAP_TOKEN) return;
  const tokenHash = sha256(e.REGCRED_BOOTSTRAP_TOKEN);
  const [existing] = await db
    .select({ id: apiTokens.id, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, tokenHash))
    .limit(1);
  // A revoked bootstrap token stays revoked: a restart must not undo an admin's revocation.
  if (existing?.revokedAt) {
    log.warn(
      "REGCRED_BOOTSTRAP_TOKEN was revoked and stays revoked; set a different value to get a new bootstrap token",
    );
    return;
  }
  if (existing) {
    await db
      .update(apiTokens)
      .set({ role: "admin" })
      .where(and(eq(apiTokens.id, existing.id), isNull(apiTokens.revokedAt)));
    return;
  }
  await db
    .insert(apiTokens)
    .values({
      orgId: e.REGCRED_DEFAULT_ORG,
      name: "bootstrap",
      tokenHash,
      prefix: e.REGCRED_BOOTSTRAP_TOKEN.slice(0, 4),
      role: "admin",
      scopes: ["ci"],
    })
    .onConflictDoNothing();
}

/** First-start set-up: the default org, the first admin and the bootstrap token. Safe to repeat. */
export async function bootstrap(db: Db, e: Env): Promise<void> {
  await db.insert(orgs).values({ id: e.REGCRED_DEFAULT_ORG, name: e.REGCRED_DEFAULT_ORG }).onConflictDoNothing();
  await ensureAdmin(db, e);
  await ensureBootstrapToken(db, e);
  await ensureInstallation(db);
}

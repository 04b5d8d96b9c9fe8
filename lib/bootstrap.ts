import "server-only";
import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { hashPassword, sha256 } from "./crypto/hash";
import { ensureInstallation } from "./installation/repo";
import type { Env } from "./env";
import { log } from "./log";
import { ensureOrg } from "./orgs/repo";
import { findTokenByHash, insertTokenIfAbsent, restoreAdminRole } from "./tokens/repo";
import { addMember, anyUserExists, insertUserIfAbsent } from "./users/repo";

async function ensureAdmin(db: Db, e: Env): Promise<void> {
  if (await anyUserExists(db)) return;
  const generated = !e.REGCRED_ADMIN_PASSWORD;
  const password = e.REGCRED_ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
  const userId = await insertUserIfAbsent(db, {
    email: e.REGCRED_ADMIN_EMAIL.toLowerCase(),
    name: "Administrator",
    passwordHash: await hashPassword(password),
    instanceAdmin: true,
  });
  // Another replica starting at the same moment created the first admin.
  if (!userId) return;
  await addMember(db, e.REGCRED_DEFAULT_ORG, userId, "admin", { ifAbsent: true });
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
  const existing = await findTokenByHash(db, tokenHash);
  // A revoked bootstrap token stays revoked: a restart must not undo an admin's revocation.
  if (existing?.revokedAt) {
    log.warn(
      "REGCRED_BOOTSTRAP_TOKEN was revoked and stays revoked; set a different value to get a new bootstrap token",
    );
    return;
  }
  if (existing) {
    await restoreAdminRole(db, existing.id);
    return;
  }
  await insertTokenIfAbsent(db, {
    orgId: e.REGCRED_DEFAULT_ORG,
    name: "bootstrap",
    tokenHash,
    prefix: e.REGCRED_BOOTSTRAP_TOKEN.slice(0, 4),
    role: "admin",
    scopes: ["ci"],
  });
}

/** First-start set-up: the default org, the first admin and the bootstrap token. Safe to repeat. */
export async function bootstrap(db: Db, e: Env): Promise<void> {
  await ensureOrg(db, e.REGCRED_DEFAULT_ORG, e.REGCRED_DEFAULT_ORG);
  await ensureAdmin(db, e);
  await ensureBootstrapToken(db, e);
  await ensureInstallation(db);
}

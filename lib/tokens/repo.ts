import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiTokens } from "@/db/schema";
import type { Role } from "../auth/roles";
import type { TokenView } from "./schema";

function toView(row: typeof apiTokens.$inferSelect): TokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function listTokens(db: Db, orgId: string): Promise<TokenView[]> {
  const rows = await db.select().from(apiTokens).where(eq(apiTokens.orgId, orgId)).orderBy(desc(apiTokens.createdAt));
  return rows.map(toView);
}

export async function insertToken(
  db: Db,
  token: {
    orgId: string;
    name: string;
    tokenHash: string;
    prefix: string;
    role: Role;
    scopes: string[];
    createdBy?: string | null;
  },
): Promise<TokenView> {
  const [row] = await db.insert(apiTokens).values(token).returning();
  return toView(row!);
}

/** Revokes an unrevoked token of the org; false when there is none with that id. */
export async function revokeToken(db: Db, orgId: string, id: string): Promise<boolean> {
  const where = and(eq(apiTokens.orgId, orgId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt));
  const [row] = await db.update(apiTokens).set({ revokedAt: new Date() }).where(where).returning({ id: apiTokens.id });
  return Boolean(row);
}

export async function findTokenByHash(db: Db, tokenHash: string) {
  const [row] = await db
    .select({ id: apiTokens.id, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, tokenHash))
    .limit(1);
  return row ?? null;
}

/** Gives an unrevoked token the admin role again. */
export async function restoreAdminRole(db: Db, id: string): Promise<void> {
  await db
    .update(apiTokens)
    .set({ role: "admin" })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
}

/** Inserts a token unless one with its hash exists. */
export async function insertTokenIfAbsent(db: Db, token: Parameters<typeof insertToken>[1]): Promise<void> {
  await db.insert(apiTokens).values(token).onConflictDoNothing();
}

import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import { apiTokens } from "@/db/schema";
import { recordAudit } from "../audit/repo";
import { authorize } from "../auth/authenticate";
import { randomToken, sha256 } from "../crypto/hash";
import { AppError } from "../errors";
import type { Ctx } from "../context";
import { parseWith } from "../validation";
import { CreateTokenInput, type TokenView } from "./schema";

type TokenCtx = Pick<Ctx, "db" | "actor">;

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

export async function listTokens(ctx: TokenCtx): Promise<TokenView[]> {
  authorize(ctx.actor, "admin");
  const rows = await ctx.db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.orgId, ctx.actor.orgId))
    .orderBy(desc(apiTokens.createdAt));
  return rows.map(toView);
}

/** Creates a token; the plaintext is returned once and only its hash is stored. */
export async function createToken(ctx: TokenCtx, body: unknown): Promise<{ token: string; view: TokenView }> {
  authorize(ctx.actor, "admin");
  const input = parseWith(CreateTokenInput, body);
  const token = `rgc_${randomToken(32)}`;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        orgId: ctx.actor.orgId,
        name: input.name,
        tokenHash: sha256(token),
        prefix: token.slice(0, 8),
        role: input.role,
        scopes: input.ci ? ["ci"] : [],
        createdBy: ctx.actor.userId,
      })
      .returning();
    await recordAudit(tx, ctx.actor, "token.create", row!.id, { name: input.name, role: input.role, ci: input.ci });
    return { token, view: toView(row!) };
  });
}

export async function revokeToken(ctx: TokenCtx, id: string): Promise<void> {
  authorize(ctx.actor, "admin");
  const where = and(eq(apiTokens.orgId, ctx.actor.orgId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt));
  const isUuid = /^[0-9a-f-]{36}$/i.test(id);
  const [row] = isUuid
    ? await ctx.db.update(apiTokens).set({ revokedAt: new Date() }).where(where).returning({ id: apiTokens.id })
    : [];
  if (!row) throw new AppError("NOT_FOUND", "That token does not exist or is already revoked.");
  await recordAudit(ctx.db, ctx.actor, "token.revoke", id);
}

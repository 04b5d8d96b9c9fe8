import "server-only";
import { recordAudit } from "../audit/repo";
import { authorize } from "../auth/authenticate";
import { randomToken, sha256 } from "../crypto/hash";
import { AppError } from "../errors";
import type { Ctx } from "../context";
import { parseWith } from "../validation";
import * as repo from "./repo";
import { CreateTokenInput, type TokenView } from "./schema";

type TokenCtx = Pick<Ctx, "db" | "actor">;

export async function listTokens(ctx: TokenCtx): Promise<TokenView[]> {
  authorize(ctx.actor, "admin");
  return repo.listTokens(ctx.db, ctx.actor.orgId);
}

/** Creates a token; the plaintext is returned once and only its hash is stored. */
export async function createToken(ctx: TokenCtx, body: unknown): Promise<{ token: string; view: TokenView }> {
  authorize(ctx.actor, "admin");
  const input = parseWith(CreateTokenInput, body);
  const token = `rgc_${randomToken(32)}`;
  return ctx.db.transaction(async (tx) => {
    const view = await repo.insertToken(tx, {
      orgId: ctx.actor.orgId,
      name: input.name,
      tokenHash: sha256(token),
      prefix: token.slice(0, 8),
      role: input.role,
      scopes: input.ci ? ["ci"] : [],
      createdBy: ctx.actor.userId,
    });
    await recordAudit(tx, ctx.actor, "token.create", view.id, { name: input.name, role: input.role, ci: input.ci });
    return { token, view };
  });
}

export async function revokeToken(ctx: TokenCtx, id: string): Promise<void> {
  authorize(ctx.actor, "admin");
  const isUuid = /^[0-9a-f-]{36}$/i.test(id);
  const revoked = isUuid && (await repo.revokeToken(ctx.db, ctx.actor.orgId, id));
  if (!revoked) throw new AppError("NOT_FOUND", "That token does not exist or is already revoked.");
  await recordAudit(ctx.db, ctx.actor, "token.revoke", id);
}

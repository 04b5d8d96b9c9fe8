import "server-only";
import type { Db } from "@/db/client";
import type { Actor } from "../auth/actor";
import { authorize } from "../auth/authenticate";
import { validationError } from "../validation";
import { type AuditParams, encodeAuditCursor, parseAuditQuery } from "./query";
import { pageAudit } from "./repo";
import type { AuditPage } from "./schema";

/** Admins page through the whole log: newest first, `next_cursor` null on the last page. */
export async function listAuditPage(ctx: { db: Db; actor: Actor }, params: AuditParams): Promise<AuditPage> {
  authorize(ctx.actor, "admin");
  const parsed = parseAuditQuery(params);
  if (!parsed.ok) throw validationError(parsed.fields);
  const { rows, more } = await pageAudit(ctx.db, ctx.actor.orgId, parsed.query);
  const last = rows.at(-1);
  return {
    entries: rows.map((r) => ({
      id: r.id,
      actor: r.actor,
      action: r.action,
      target: r.target,
      details: r.details,
      created_at: r.createdAt.toISOString(),
    })),
    next_cursor: more && last ? encodeAuditCursor(last.id) : null,
  };
}

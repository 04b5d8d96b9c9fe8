import "server-only";
import { and, desc, eq, gte, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import type { Actor } from "../auth/actor";
import type { AuditQuery } from "./query";

type Details = Record<string, string | number | boolean | null>;

/** Records who did what; details carry ids and flags only, never credential values. */
export async function recordAudit(
  db: Db,
  actor: Actor,
  action: string,
  target: string,
  details?: Details,
): Promise<void> {
  await db
    .insert(auditLog)
    .values({ orgId: actor.orgId, actor: actor.label, action, target, details: details ?? null });
}

export async function listAudit(db: Db, orgId: string, limit = 100) {
  return db.select().from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(desc(auditLog.id)).limit(limit);
}

/** One page of the org's log, newest first, filters in the query; `more` says whether older matching entries exist. */
export async function pageAudit(db: Db, orgId: string, q: AuditQuery) {
  const where = and(
    eq(auditLog.orgId, orgId),
    q.beforeId !== null ? lt(auditLog.id, q.beforeId) : undefined,
    q.action !== null ? eq(auditLog.action, q.action) : undefined,
    q.actor !== null ? eq(auditLog.actor, q.actor) : undefined,
    q.target !== null ? eq(auditLog.target, q.target) : undefined,
    q.since !== null ? gte(auditLog.createdAt, q.since) : undefined,
    q.until !== null ? lt(auditLog.createdAt, q.until) : undefined,
  );
  const rows = await db
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  return { rows: rows.slice(0, q.limit), more: rows.length > q.limit };
}

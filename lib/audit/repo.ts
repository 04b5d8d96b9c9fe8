import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import type { Actor } from "../auth/actor";

type Details = Record<string, string | number | boolean | null>;

/** Records who did what; details carry ids and flags only, never credential values. */
export async function recordAudit(db: Db, actor: Actor, action: string, target: string, details?: Details): Promise<void> {
  await db.insert(auditLog).values({ orgId: actor.orgId, actor: actor.label, action, target, details: details ?? null });
}

export async function listAudit(db: Db, orgId: string, limit = 100) {
  return db.select().from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(desc(auditLog.id)).limit(limit);
}

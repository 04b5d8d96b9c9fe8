import { NextResponse } from "next/server";
import { listAudit } from "@/lib/audit/repo";
import type { AuditEntry } from "@/lib/audit/schema";
import { authorize } from "@/lib/auth/authenticate";
import { api } from "@/lib/http";

export const GET = api(async (ctx) => {
  authorize(ctx.actor, "admin");
  const action = ctx.req.nextUrl.searchParams.get("action");
  const rows = await listAudit(ctx.db, ctx.actor.orgId, 200);
  const entries: AuditEntry[] = rows
    .filter((r) => !action || r.action === action)
    .map((r) => ({ id: r.id, actor: r.actor, action: r.action, target: r.target, details: r.details, created_at: r.createdAt.toISOString() }));
  return NextResponse.json(entries);
});

import { NextResponse } from "next/server";
import { auditQueryParams, type AuditParams, nextPageSearch } from "@/lib/audit/query";
import { listAuditPage } from "@/lib/audit/service";
import { api } from "@/lib/http";

// The body stays the array of entries it always was; the next page is announced in a Link header (RFC 8288).
export const GET = api(async (ctx) => {
  const search = ctx.req.nextUrl.searchParams;
  const params: AuditParams = Object.fromEntries(
    auditQueryParams.flatMap((n) => (search.has(n) ? [[n, search.get(n)!]] : [])),
  );
  const page = await listAuditPage(ctx, params);
  const headers = new Headers();
  if (page.next_cursor) {
    headers.set("Link", `<${ctx.req.nextUrl.pathname}?${nextPageSearch(params, page.next_cursor)}>; rel="next"`);
    headers.set("X-Next-Cursor", page.next_cursor);
  }
  return NextResponse.json(page.entries, { headers });
});

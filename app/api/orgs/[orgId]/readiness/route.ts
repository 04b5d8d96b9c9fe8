import { NextResponse } from "next/server";
import { api } from "@/lib/http";
import { getReadinessView } from "@/lib/readiness/service";

export const GET = api(async (ctx) => {
  const query = Object.fromEntries(ctx.req.nextUrl.searchParams.entries());
  return NextResponse.json(await getReadinessView(ctx, query), { headers: { "Cache-Control": "no-store" } });
});

import { NextResponse } from "next/server";
import { api } from "@/lib/http";
import { getSecretsView } from "@/lib/secrets/service";

// Repeated parameters (status=expired&status=orphaned) join like a comma-separated list.
export const GET = api(async (ctx) => {
  const params = ctx.req.nextUrl.searchParams;
  const query = Object.fromEntries([...new Set(params.keys())].map((key) => [key, params.getAll(key).join(",")]));
  return NextResponse.json(await getSecretsView(ctx, query), { headers: { "Cache-Control": "no-store" } });
});

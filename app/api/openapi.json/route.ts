import { NextResponse } from "next/server";
import { buildOpenApi } from "@/lib/openapi";

export const dynamic = "force-static";

export function GET(): Response {
  return NextResponse.json(buildOpenApi(), { headers: { "Cache-Control": "public, max-age=300" } });
}

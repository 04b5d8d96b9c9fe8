import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

/** Liveness: the process answers HTTP. No database, no authentication. */
export function GET(): Response {
  return NextResponse.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}

export const HEAD = GET;

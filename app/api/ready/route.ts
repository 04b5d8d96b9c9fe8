import { NextResponse } from "next/server";
import { readiness } from "@/lib/health";

export const dynamic = "force-dynamic";

/** Readiness: 200 when this replica can serve (database up and migrated); 503 with the reason otherwise. No authentication. */
export async function GET(): Promise<Response> {
  const r = await readiness();
  return NextResponse.json(r.ready ? { status: "ready" } : { status: "not-ready", reason: r.reason }, {
    status: r.ready ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}

export const HEAD = GET;

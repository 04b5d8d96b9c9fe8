import { NextResponse } from "next/server";
import { readinessAnswer } from "@/lib/health";

export const dynamic = "force-dynamic";

/** Readiness: 200 when this replica can serve (database up and migrated); 503 with the reason otherwise. No authentication. */
export async function GET(): Promise<Response> {
  const { status, body } = await readinessAnswer();
  return NextResponse.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

export const HEAD = GET;

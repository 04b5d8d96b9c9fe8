import type { NextRequest } from "next/server";
import { jsonError } from "@/lib/http";
import { scrapeMetrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

/** Prometheus text exposition; 404 unless REGCRED_METRICS_TOKEN is set, 401 without that bearer token. */
export async function GET(req: NextRequest): Promise<Response> {
  const scraped = await scrapeMetrics(req.headers.get("authorization"));
  if ("error" in scraped) return jsonError(scraped.error);
  return new Response(scraped.body, { headers: { "Content-Type": scraped.contentType, "Cache-Control": "no-store" } });
}

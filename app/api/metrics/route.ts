import type { NextRequest } from "next/server";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { jsonError } from "@/lib/http";
import { metricsAuthorized, renderMetrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

/** Prometheus text exposition; 404 unless REGCRED_METRICS_TOKEN is set, 401 without that bearer token. */
export async function GET(req: NextRequest): Promise<Response> {
  const token = env().REGCRED_METRICS_TOKEN;
  if (!token)
    return jsonError(new AppError("NOT_FOUND", "Metrics are off; set REGCRED_METRICS_TOKEN to serve them here."));
  if (!metricsAuthorized(req.headers.get("authorization"), token))
    return jsonError(new AppError("UNAUTHENTICATED", "GET /api/metrics needs the metrics token as a bearer token."));
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}

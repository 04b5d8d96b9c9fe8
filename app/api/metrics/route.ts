import { createHash, timingSafeEqual } from "node:crypto";
import type { NextRequest } from "next/server";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { jsonError } from "@/lib/http";
import { renderMetrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

const digest = (s: string) => createHash("sha256").update(s).digest();

// Metrics span every org of the installation (cluster ids, counts), so no org's API token may read them: only the
// operator's scrape token, compared in constant time.
function authorized(req: NextRequest, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}

/** Prometheus text exposition; 404 unless REGCRED_METRICS_TOKEN is set, 401 without that bearer token. */
export async function GET(req: NextRequest): Promise<Response> {
  const token = env().REGCRED_METRICS_TOKEN;
  if (!token)
    return jsonError(new AppError("NOT_FOUND", "Metrics are off; set REGCRED_METRICS_TOKEN to serve them here."));
  if (!authorized(req, token))
    return jsonError(new AppError("UNAUTHENTICATED", "GET /api/metrics needs the metrics token as a bearer token."));
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}

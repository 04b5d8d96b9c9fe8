import { NextResponse } from "next/server";
import { api } from "@/lib/http";
import { recheckReadiness } from "@/lib/readiness/recheck";

/** Re-check now (manager): every repository the org's workloads pull, the cache's TTL ignored. */
export const POST = api(async (ctx) => NextResponse.json(await recheckReadiness(ctx)));

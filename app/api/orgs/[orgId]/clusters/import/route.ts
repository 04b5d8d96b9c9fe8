import { NextResponse } from "next/server";
import { importCluster } from "@/lib/clusters/startup";
import { api, readJson } from "@/lib/http";

export const POST = api(async (ctx) =>
  NextResponse.json(await importCluster(ctx, await readJson(ctx.req)), { status: 201 }),
);

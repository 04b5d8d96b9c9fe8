import { NextResponse } from "next/server";
import { createCluster, listClusters } from "@/lib/clusters/service";
import { api, readJson } from "@/lib/http";

export const GET = api(async (ctx) => NextResponse.json(await listClusters(ctx)));

export const POST = api(async (ctx) =>
  NextResponse.json(await createCluster(ctx, await readJson(ctx.req)), { status: 201 }),
);

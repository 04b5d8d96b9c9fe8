import { NextResponse } from "next/server";
import { inspectKubeconfig } from "@/lib/clusters/service";
import { api, readJson } from "@/lib/http";

export const POST = api(async (ctx) => NextResponse.json(inspectKubeconfig(ctx, await readJson(ctx.req))));

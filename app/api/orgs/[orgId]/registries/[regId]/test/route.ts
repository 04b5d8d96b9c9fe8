import { NextResponse } from "next/server";
import { testStoredRegistry } from "@/lib/credential-checks/service";
import { api, readJson } from "@/lib/http";

export const POST = api(async (ctx, { regId }) =>
  NextResponse.json(await testStoredRegistry(ctx, regId!, await readJson(ctx.req, { optional: true }))),
);

import { NextResponse } from "next/server";
import { testStoredRegistry } from "@/lib/credential-checks/service";
import { api } from "@/lib/http";

export const POST = api(async (ctx, { regId }) => NextResponse.json(await testStoredRegistry(ctx, regId!)));

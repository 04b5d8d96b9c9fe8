import { NextResponse } from "next/server";
import { api } from "@/lib/http";
import { readCiCreds } from "@/lib/registries/ci-creds";

export const GET = api(async (ctx, { regId }) =>
  NextResponse.json(await readCiCreds(ctx, regId!), { headers: { "Cache-Control": "no-store" } }),
);

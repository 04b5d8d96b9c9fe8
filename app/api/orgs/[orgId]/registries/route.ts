import { NextResponse } from "next/server";
import { api, jsonText, readJson } from "@/lib/http";
import { createRegistry, listRegistriesJson } from "@/lib/registries/service";

export const GET = api(async (ctx) => jsonText(await listRegistriesJson(ctx)));

export const POST = api(async (ctx) =>
  NextResponse.json(await createRegistry(ctx, await readJson(ctx.req)), { status: 201 }),
);

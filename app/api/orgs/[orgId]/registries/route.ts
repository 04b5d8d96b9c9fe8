import { NextResponse } from "next/server";
import { api, readJson } from "@/lib/http";
import { createRegistry, listRegistries } from "@/lib/registries/service";

export const GET = api(async (ctx) => NextResponse.json(await listRegistries(ctx)));

export const POST = api(async (ctx) =>
  NextResponse.json(await createRegistry(ctx, await readJson(ctx.req)), { status: 201 }),
);

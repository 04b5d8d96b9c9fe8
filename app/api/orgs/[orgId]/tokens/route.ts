import { NextResponse } from "next/server";
import { api, readJson } from "@/lib/http";
import { createToken, listTokens } from "@/lib/tokens/service";

export const GET = api(async (ctx) => NextResponse.json(await listTokens(ctx)));

export const POST = api(async (ctx) => {
  const { token, view } = await createToken(ctx, await readJson(ctx.req));
  return NextResponse.json({ ...view, token }, { status: 201 });
});

import { NextResponse } from "next/server";
import { api, readJson } from "@/lib/http";
import type { CreatedToken } from "@/lib/tokens/schema";
import { createToken, listTokens } from "@/lib/tokens/service";

export const GET = api(async (ctx) => NextResponse.json(await listTokens(ctx)));

export const POST = api(async (ctx) => {
  const { token, view } = await createToken(ctx, await readJson(ctx.req));
  const created: CreatedToken = { ...view, token };
  return NextResponse.json(created, { status: 201 });
});

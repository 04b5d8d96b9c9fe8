import { NextResponse } from "next/server";
import { api } from "@/lib/http";
import { revokeToken } from "@/lib/tokens/service";

export const DELETE = api(async (ctx, { tokenId }) => {
  await revokeToken(ctx, tokenId!);
  return new NextResponse(null, { status: 204 });
});

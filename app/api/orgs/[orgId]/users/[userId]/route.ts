import { NextResponse } from "next/server";
import { api, readJson } from "@/lib/http";
import { changeRole, removeMember } from "@/lib/users/service";

export const PATCH = api(async (ctx, { userId }) => {
  const role = await changeRole(ctx, userId!, await readJson(ctx.req));
  return NextResponse.json({ userId, role });
});

export const DELETE = api(async (ctx, { userId }) => {
  await removeMember(ctx, userId!);
  return new NextResponse(null, { status: 204 });
});

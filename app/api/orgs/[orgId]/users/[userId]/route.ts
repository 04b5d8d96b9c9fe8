import { NextResponse } from "next/server";
import { api, readJson } from "@/lib/http";
import type { RoleChanged } from "@/lib/users/schema";
import { changeRole, removeMember } from "@/lib/users/service";

export const PATCH = api(async (ctx, { userId }) => {
  const role = await changeRole(ctx, userId!, await readJson(ctx.req));
  const changed: RoleChanged = { userId: userId!, role };
  return NextResponse.json(changed);
});

export const DELETE = api(async (ctx, { userId }) => {
  await removeMember(ctx, userId!);
  return new NextResponse(null, { status: 204 });
});

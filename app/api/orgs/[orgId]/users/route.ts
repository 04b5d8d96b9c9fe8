import { NextResponse } from "next/server";
import { api, readJson } from "@/lib/http";
import { inviteUser, listMembers } from "@/lib/users/service";

export const GET = api(async (ctx) => NextResponse.json(await listMembers(ctx)));

export const POST = api(async (ctx) => {
  const { email, role, inviteToken } = await inviteUser(ctx, await readJson(ctx.req));
  const inviteUrl = inviteToken ? `${ctx.req.nextUrl.origin}/invite/${inviteToken}` : null;
  return NextResponse.json({ email, role, invite_url: inviteUrl }, { status: 201 });
});

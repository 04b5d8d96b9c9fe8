import { NextResponse } from "next/server";
import { api, readJson } from "@/lib/http";
import { authenticateMemberAdmin } from "@/lib/orgs/caller";
import { inviteUser } from "@/lib/users/invites";
import type { InviteResponse } from "@/lib/users/schema";
import { listMembers } from "@/lib/users/service";

export const GET = api(async (ctx) => NextResponse.json(await listMembers(ctx)));

export const POST = api(async (ctx) => {
  const { email, role, inviteToken } = await inviteUser(ctx, await readJson(ctx.req));
  const invited: InviteResponse = {
    email,
    role,
    invite_url: inviteToken ? `${ctx.req.nextUrl.origin}/invite/${inviteToken}` : null,
  };
  return NextResponse.json(invited, { status: 201 });
}, authenticateMemberAdmin);

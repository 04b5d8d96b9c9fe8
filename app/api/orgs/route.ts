import { NextResponse } from "next/server";
import { api, readJson } from "@/lib/http";
import { authenticateCaller } from "@/lib/orgs/caller";
import { createOrg, listOrgs } from "@/lib/orgs/service";

export const GET = api(async (ctx) => NextResponse.json(await listOrgs(ctx.db, ctx.actor)), authenticateCaller);

export const POST = api(
  async (ctx) => NextResponse.json(await createOrg(ctx.db, ctx.actor, await readJson(ctx.req)), { status: 201 }),
  authenticateCaller,
);

import { NextResponse } from "next/server";
import { api, readJson } from "@/lib/http";
import { authenticateMemberAdmin } from "@/lib/orgs/caller";
import { getOrgDetails, setOrgAwsDefaultChain } from "@/lib/orgs/service";

export const GET = api(async (ctx) => NextResponse.json(await getOrgDetails(ctx.db, ctx.actor)));

// An instance admin need not belong to the org; its members get 403 from the service, everyone else 404.
export const PATCH = api(
  async (ctx, params) =>
    NextResponse.json(await setOrgAwsDefaultChain(ctx.db, ctx.actor, params.orgId ?? "", await readJson(ctx.req))),
  authenticateMemberAdmin,
);

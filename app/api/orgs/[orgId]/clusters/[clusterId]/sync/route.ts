import { NextResponse } from "next/server";
import { getSyncStatus, requestSync } from "@/lib/sync/service";
import { api } from "@/lib/http";

/** Sync now: 202 with the queued pass's id; follow it with GET …/sync?run=<id>. */
export const POST = api(async (ctx, { orgId, clusterId }) => {
  const queued = await requestSync(ctx, clusterId!);
  const location = `/api/orgs/${encodeURIComponent(orgId!)}/clusters/${encodeURIComponent(queued.cluster_id)}/sync?run=${queued.id}`;
  return NextResponse.json(queued, { status: 202, headers: { Location: location } });
});

export const GET = api(async (ctx, { clusterId }) =>
  NextResponse.json(await getSyncStatus(ctx, clusterId!, ctx.req.nextUrl.searchParams.get("run"))),
);

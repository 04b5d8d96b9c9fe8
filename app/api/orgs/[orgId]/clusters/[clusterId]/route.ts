import { NextResponse } from "next/server";
import { deleteCluster, getCluster, updateCluster } from "@/lib/clusters/service";
import { api, readJson } from "@/lib/http";

export const GET = api(async (ctx, { clusterId }) => NextResponse.json(await getCluster(ctx, clusterId!)));

export const PATCH = api(async (ctx, { clusterId }) =>
  NextResponse.json(await updateCluster(ctx, clusterId!, await readJson(ctx.req))),
);

export const DELETE = api(async (ctx, { clusterId }) => {
  await deleteCluster(ctx, clusterId!);
  return new NextResponse(null, { status: 204 });
});

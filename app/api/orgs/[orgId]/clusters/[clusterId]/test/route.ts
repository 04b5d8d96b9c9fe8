import { NextResponse } from "next/server";
import { testCluster } from "@/lib/clusters/connection";
import { api } from "@/lib/http";

export const POST = api(async (ctx, { clusterId }) => NextResponse.json(await testCluster(ctx, clusterId!)));

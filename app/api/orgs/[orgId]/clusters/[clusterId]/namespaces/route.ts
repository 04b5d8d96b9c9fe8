import { NextResponse } from "next/server";
import { listScopedNamespaces } from "@/lib/clusters/connection";
import { AppError } from "@/lib/errors";
import { api } from "@/lib/http";

export const GET = api(async (ctx, { clusterId }) => {
  const result = await listScopedNamespaces(ctx, clusterId!);
  if (!result.ok)
    throw new AppError(
      "UPSTREAM_FAILED",
      `Could not list the namespaces of cluster "${clusterId}" (${result.error.kind}): ${result.error.message}.`,
    );
  return NextResponse.json(result.value);
});

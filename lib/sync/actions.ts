"use server";

import { withActor } from "../action";
import type { ActionResult } from "../result";
import type { SyncClusterOverview, SyncRequested, SyncStatusDto } from "./schema";
import { getSyncOverview, getSyncStatus, requestSync } from "./service";

export async function getSyncOverviewAction(): Promise<ActionResult<SyncClusterOverview[]>> {
  return withActor("getSyncOverview", (ctx) => getSyncOverview(ctx));
}

export async function getSyncStatusAction(clusterId: string): Promise<ActionResult<SyncStatusDto>> {
  return withActor("getSyncStatus", (ctx) => getSyncStatus(ctx, clusterId));
}

export async function requestSyncAction(clusterId: string): Promise<ActionResult<SyncRequested>> {
  return withActor("requestSync", (ctx) => requestSync(ctx, clusterId));
}

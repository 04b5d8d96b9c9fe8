"use server";

import { revalidatePath } from "next/cache";
import { withActor } from "../action";
import type { ActionResult } from "../result";
import { testCluster } from "./connection";
import type { ClusterResponse, ClusterTestResult, KubeconfigSummary } from "./schema";
import { createCluster, deleteCluster, inspectKubeconfig, listClusters, updateCluster } from "./service";
import { importCluster, type ImportableContexts, listImportableContexts } from "./startup";

function revalidated<T>(result: ActionResult<T>): ActionResult<T> {
  if (result.ok) revalidatePath("/clusters");
  return result;
}

export async function listClustersAction(): Promise<ActionResult<ClusterResponse[]>> {
  return withActor("listClusters", (ctx) => listClusters(ctx));
}

export async function createClusterAction(body: unknown): Promise<ActionResult<ClusterResponse>> {
  return revalidated(await withActor("createCluster", (ctx) => createCluster(ctx, body)));
}

export async function updateClusterAction(id: string, body: unknown): Promise<ActionResult<ClusterResponse>> {
  return revalidated(await withActor("updateCluster", (ctx) => updateCluster(ctx, id, body)));
}

export async function deleteClusterAction(id: string): Promise<ActionResult<null>> {
  return revalidated(
    await withActor("deleteCluster", async (ctx) => {
      await deleteCluster(ctx, id);
      return null;
    }),
  );
}

export async function testClusterAction(id: string): Promise<ActionResult<ClusterTestResult>> {
  return withActor("testCluster", (ctx) => testCluster(ctx, id));
}

export async function inspectKubeconfigAction(kubeconfig: string): Promise<ActionResult<KubeconfigSummary>> {
  return withActor("inspectKubeconfig", async (ctx) => inspectKubeconfig(ctx, { kubeconfig }));
}

export async function listImportableContextsAction(): Promise<ActionResult<ImportableContexts>> {
  return withActor("listImportableContexts", (ctx) => listImportableContexts(ctx));
}

export async function importClusterAction(body: unknown): Promise<ActionResult<ClusterResponse>> {
  return revalidated(await withActor("importCluster", (ctx) => importCluster(ctx, body)));
}

"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { withActor, withInput } from "../action";
import type { ActionResult } from "../result";
import { testCluster } from "./connection";
import {
  ClusterCreate,
  ClusterImport,
  ClusterPatch,
  type ClusterResponse,
  type ClusterTestResult,
  KubeconfigInspect,
  type KubeconfigSummary,
} from "./schema";
import { createCluster, deleteCluster, inspectKubeconfig, listClusters, updateCluster } from "./service";
import { importCluster, type ImportableContexts, listImportableContexts } from "./startup";

function revalidated<T>(result: ActionResult<T>): ActionResult<T> {
  if (result.ok) revalidatePath("/clusters");
  return result;
}

export async function listClustersAction(): Promise<ActionResult<ClusterResponse[]>> {
  return withActor("listClusters", (ctx) => listClusters(ctx));
}

export async function createClusterAction(
  input: z.input<typeof ClusterCreate>,
): Promise<ActionResult<ClusterResponse>> {
  return revalidated(await withInput("createCluster", ClusterCreate, input, createCluster));
}

export async function updateClusterAction(
  id: string,
  input: z.input<typeof ClusterPatch>,
): Promise<ActionResult<ClusterResponse>> {
  return revalidated(
    await withInput("updateCluster", ClusterPatch, input, (ctx, patch) => updateCluster(ctx, id, patch)),
  );
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
  return withInput("inspectKubeconfig", KubeconfigInspect, { kubeconfig }, async (ctx, input) =>
    inspectKubeconfig(ctx, input),
  );
}

export async function listImportableContextsAction(): Promise<ActionResult<ImportableContexts>> {
  return withActor("listImportableContexts", (ctx) => listImportableContexts(ctx));
}

export async function importClusterAction(
  input: z.input<typeof ClusterImport>,
): Promise<ActionResult<ClusterResponse>> {
  return revalidated(await withInput("importCluster", ClusterImport, input, importCluster));
}

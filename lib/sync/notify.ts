import "server-only";
import type { Db } from "@/db/client";
import { listClusterIds } from "@/lib/clusters/repo";
import { describeError, log } from "@/lib/log";
import * as repo from "./repo";
import { signalController, signalControllerForOrg } from "./signal";

export type RegistryChange = "created" | "updated" | "deleted";

async function queuePass(
  db: Db,
  cluster: { id: string; orgId: string },
  trigger: repo.SyncTrigger,
  requestedBy: string,
): Promise<void> {
  if (await repo.hasQueuedRun(db, cluster.id)) return;
  await repo.createRun(db, { orgId: cluster.orgId, clusterId: cluster.id, trigger, status: "queued", requestedBy });
}

/**
 * After a registry is created, changed or deleted: queue one pass per cluster of the org (a controller in
 * any process picks it up; this process's at once), so a credential change rewrites every copy in one pass
 * and a deletion removes its secrets and references everywhere. Never throws: the registry change stands.
 */
export async function notifyRegistryChange(
  db: Db,
  orgId: string,
  registryId: string,
  change: RegistryChange,
  requestedBy: string,
): Promise<void> {
  try {
    if (change === "deleted") await repo.addTombstone(db, orgId, registryId);
    if (change === "created") await repo.removeTombstone(db, orgId, registryId);
    for (const id of await listClusterIds(db, orgId)) await queuePass(db, { id, orgId }, "registry", requestedBy);
    signalControllerForOrg(orgId, "registry");
  } catch (err) {
    log.error("could not queue a sync after a registry change", {
      org: orgId,
      registry: registryId,
      change,
      ...describeError(err),
    });
  }
}

/**
 * After a cluster's wiring settings changed: queue a pass (a controller in any process picks it up; this
 * process's at once) so the old mode's references are removed and the new mode applied. Never throws.
 */
export async function notifyClusterSettingsChange(
  db: Db,
  cluster: { id: string; orgId: string },
  requestedBy: string,
): Promise<void> {
  try {
    await queuePass(db, cluster, "settings", requestedBy);
    await signalController(cluster.id, "settings");
  } catch (err) {
    log.error("could not queue a sync after a cluster settings change", { cluster: cluster.id, ...describeError(err) });
  }
}

import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clusters, syncRuns } from "@/db/schema";
import { log } from "@/lib/log";
import { errorFields } from "./log-fields";
import * as repo from "@/lib/sync/repo";
import { inProcessController } from "./runtime";

export type RegistryChange = "created" | "updated" | "deleted";

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
    const rows = await db.select({ id: clusters.id }).from(clusters).where(eq(clusters.orgId, orgId));
    for (const { id } of rows) {
      const [queued] = await db
        .select({ id: syncRuns.id })
        .from(syncRuns)
        .where(and(eq(syncRuns.clusterId, id), eq(syncRuns.status, "queued")))
        .limit(1);
      if (!queued)
        await repo.createRun(db, { orgId, clusterId: id, trigger: "registry", status: "queued", requestedBy });
    }
    inProcessController()?.kickOrg(orgId, "registry");
  } catch (err) {
    log.error("could not queue a sync after a registry change", {
      org: orgId,
      registry: registryId,
      change,
      ...errorFields(err),
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
    const [queued] = await db
      .select({ id: syncRuns.id })
      .from(syncRuns)
      .where(and(eq(syncRuns.clusterId, cluster.id), eq(syncRuns.status, "queued")))
      .limit(1);
    if (!queued)
      await repo.createRun(db, {
        orgId: cluster.orgId,
        clusterId: cluster.id,
        trigger: "settings",
        status: "queued",
        requestedBy,
      });
    await inProcessController()?.kick(cluster.id, "settings");
  } catch (err) {
    log.error("could not queue a sync after a cluster settings change", { cluster: cluster.id, ...errorFields(err) });
  }
}

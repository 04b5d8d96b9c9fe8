import "server-only";
import { recordAudit } from "../audit/repo";
import { authorize } from "../auth/authenticate";
import type { KubeResult } from "../integrations/kube";
import { clientForCluster, homeNamespaceOf } from "./client";
import { testConnection } from "./connection-test";
import { DEFAULT_CLUSTER_SETTINGS, findClusterSettings, scopeOf, updateClusterRow } from "./repo";
import type { ClusterTestResult } from "./schema";
import { filterNamespaces, type ScopedNamespaces } from "./scope";
import { requireCluster } from "./service";
import type { Ctx } from "../context";

/** "Test connection": records the outcome as the cluster's last test. Unreachable clusters are a result, not an error. */
export async function testCluster(ctx: Ctx, idOrName: string): Promise<ClusterTestResult> {
  authorize(ctx.actor, "admin");
  const row = await requireCluster(ctx, idOrName);
  const settings = (await findClusterSettings(ctx.db, [row.id])).get(row.id) ?? DEFAULT_CLUSTER_SETTINGS;
  const result = await testConnection(clientForCluster(ctx.keyring, row), {
    homeNamespace: homeNamespaceOf(row),
    needs: { wiring: settings.wiring, restartStuckPods: settings.restartStuckPods },
  });
  await updateClusterRow(ctx.db, row.orgId, row.id, {
    lastTest: {
      status: result.status,
      version: result.version,
      summary: result.summary,
      missing: result.missing,
      testedAt: result.tested_at,
    },
  });
  await recordAudit(ctx.db, ctx.actor, "cluster.test", row.name, {
    status: result.status,
    version: result.version,
    missing: result.missing.length,
  });
  return result;
}

/** The namespaces Regcred manages in a cluster (selector, exclusions and the opt-out label applied), or why they could not be listed. */
export async function listScopedNamespaces(ctx: Ctx, idOrName: string): Promise<KubeResult<ScopedNamespaces>> {
  authorize(ctx.actor, "viewer");
  const row = await requireCluster(ctx, idOrName);
  const scope = scopeOf(row);
  const listed = await clientForCluster(ctx.keyring, row).listNamespaces(scope.namespaceSelector ?? undefined);
  if (!listed.ok) return listed;
  return { ok: true, value: filterNamespaces(scope, listed.value) };
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { clusters } from "@/db/schema";
import { recordAudit } from "../audit/repo";
import { authorize } from "../auth/authenticate";
import { type Keyring, open } from "../crypto/secret-box";
import { env } from "../env";
import { describeError, log } from "../log";
import { DEFAULT_NAMESPACE } from "../sync/labels";
import { connect, failingClient, type KubeClient, type KubeConnectConfig, type KubeResult } from "../integrations/kube";
import { testConnection } from "./connection-test";
import type { ClusterRow } from "./repo";
import { scopeOf } from "./repo";
import type { ClusterTestResult } from "./schema";
import { filterNamespaces, type ScopedNamespaces } from "./scope";
import { kubeconfigAad } from "../crypto/aad";
import { type Ctx, requireCluster } from "./service";

/** The connection details of a stored cluster, unsealed; server-side only, never logged. */
export function connectionOf(keyring: Keyring, row: ClusterRow): KubeConnectConfig {
  if (row.source === "in-cluster") return { kind: "in-cluster", server: row.server };
  return {
    kind: "kubeconfig",
    kubeconfig: open(keyring, row.kubeconfigSealed ?? "", kubeconfigAad(row.orgId, row.id)),
  };
}

/** A client for a stored cluster; unusable stored details give a client whose calls fail with `invalid`. */
export function clientForCluster(keyring: Keyring, row: ClusterRow, opts: { timeoutMs?: number } = {}): KubeClient {
  const timeoutMs = opts.timeoutMs ?? env().REGCRED_CHECK_TIMEOUT_MS;
  try {
    return connect(connectionOf(keyring, row), { timeoutMs });
  } catch (err) {
    log.warn("a cluster's stored credentials could not be opened", { cluster: row.id, ...describeError(err) });
    return failingClient(row.server, "the stored credentials could not be decrypted (was the encryption key changed?)");
  }
}

/** Where Regcred's own objects (its lease) live in this cluster. */
export function homeNamespaceOf(row: ClusterRow): string {
  return row.defaultNamespace ?? DEFAULT_NAMESPACE;
}

/** "Test connection": records the outcome as the cluster's last test. Unreachable clusters are a result, not an error. */
export async function testCluster(ctx: Ctx, idOrName: string): Promise<ClusterTestResult> {
  authorize(ctx.actor, "admin");
  const row = await requireCluster(ctx, idOrName);
  const result = await testConnection(clientForCluster(ctx.keyring, row), { homeNamespace: homeNamespaceOf(row) });
  await ctx.db
    .update(clusters)
    .set({
      lastTest: {
        status: result.status,
        version: result.version,
        summary: result.summary,
        missing: result.missing,
        testedAt: result.tested_at,
      },
    })
    .where(and(eq(clusters.orgId, row.orgId), eq(clusters.id, row.id)));
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

import "server-only";
import { authorize } from "../auth/authenticate";
import { clientForCluster } from "../clusters/client";
import { type ClusterRow, listClusterRows } from "../clusters/repo";
import { env } from "../env";
import type { KubeClient } from "../integrations/kube";
import { listRegistryRows } from "../registries/repo";
import type { Ctx } from "../context";
import { parseWith } from "../validation";
import { cachedClusterContents } from "../sync/signal";
import { inventoryFromCache, readInventoryWithin } from "./inventory";
import { buildSecretRows, type RegistryInfo } from "./rows";
import { type ClusterOutcome, type SecretRow, SecretsQuery, type SecretsView } from "./schema";
import { selectRows } from "./view";

export type SecretsViewOptions = {
  now?: Date;
  /** per request; defaults to REGCRED_CHECK_TIMEOUT_MS */
  timeoutMs?: number;
  /** how one cluster is reached; tests and benches wrap it to count requests */
  clientFor?: (row: ClusterRow, timeoutMs: number) => KubeClient;
};

type ClusterRead = { outcome: ClusterOutcome; rows: SecretRow[] };

async function readCluster(
  ctx: Ctx,
  row: ClusterRow,
  registries: RegistryInfo[],
  now: Date,
  opts: SecretsViewOptions,
): Promise<ClusterRead> {
  const timeoutMs = opts.timeoutMs ?? env().REGCRED_CHECK_TIMEOUT_MS;
  const t0 = performance.now();
  // The in-process controller's watch-fed cache when it holds the cluster; otherwise one LIST per kind.
  const cached = cachedClusterContents(row.id);
  const read = cached
    ? { ok: true as const, value: inventoryFromCache(cached) }
    : // Pages of a large LIST each get the per-request timeout; the whole cluster gets twice that.
      await readInventoryWithin(
        opts.clientFor ? opts.clientFor(row, timeoutMs) : clientForCluster(ctx.keyring, row, { timeoutMs }),
        timeoutMs * 2,
      );
  const ms = Math.round(performance.now() - t0);
  const base = { id: row.id, name: row.name, ms };
  if (!read.ok) return { outcome: { ...base, ok: false, error: read.error, warnings: [], secrets: 0 }, rows: [] };
  const rows = buildSecretRows({ cluster: { id: row.id, name: row.name }, ...read.value }, registries, now);
  return { outcome: { ...base, ok: true, warnings: read.value.warnings, secrets: rows.length }, rows };
}

/**
 * The secrets view: every regcred secret of every cluster in the org (or of the one `cluster` names),
 * clusters read in parallel; a cluster that fails is reported in `clusters` and never hides the others.
 */
export async function getSecretsView(ctx: Ctx, rawQuery: unknown, opts: SecretsViewOptions = {}): Promise<SecretsView> {
  authorize(ctx.actor, "viewer");
  const query = parseWith(SecretsQuery, rawQuery);
  const now = opts.now ?? new Date();
  const [clusterRows, registryRows] = await Promise.all([
    listClusterRows(ctx.db, ctx.actor.orgId),
    listRegistryRows(ctx.db, ctx.actor.orgId),
  ]);
  const registries = registryRows.map((r) => ({ id: r.id, type: r.type }));
  const wanted = query.cluster
    ? clusterRows.filter((c) => c.id === query.cluster || c.name === query.cluster)
    : clusterRows;
  const reads = await Promise.all(wanted.map((row) => readCluster(ctx, row, registries, now, opts)));
  const { counts, secrets } = selectRows(
    reads.flatMap((r) => r.rows),
    query,
  );
  return { clusters: reads.map((r) => r.outcome), counts, secrets, generated_at: now.toISOString() };
}

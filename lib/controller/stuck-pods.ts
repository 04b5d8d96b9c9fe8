import "server-only";
import type { StuckPodEntry, SyncChange } from "@/db/schema/sync";
import type { KubeClient } from "@/lib/integrations/kube";
import type { MatchableRegistry } from "@/lib/images/matching";
import { findStuckPods, type PodPullState, type StuckPod } from "@/lib/sync/stuck-pods";
import { LeadershipLost } from "./apply";
import type { NamespaceResultRow } from "@/lib/sync/repo";
import { outcomeOf } from "./results";

export type StuckPodDeps = {
  client: KubeClient;
  mayWrite: () => boolean;
  restart: boolean;
  /** The registry's secret name in a namespace (`regcred-<id>`, or this owner's alternate there). */
  secretName?: (namespace: string, registryId: string) => string;
};
type Restarted = { ok: boolean; error?: string };

const entryOf = (s: StuckPod, r: Restarted | undefined): StuckPodEntry => ({
  pod: s.pod,
  container: s.container,
  image: s.image,
  reason: s.reason,
  controlled: s.controlled,
  action: !r ? "reported" : r.ok ? "restarted" : "restart-failed",
  ...(r?.error ? { error: r.error } : {}),
});

async function restartPods(deps: StuckPodDeps, stuck: readonly StuckPod[]): Promise<Map<string, Restarted>> {
  const done = new Map<string, Restarted>();
  for (const s of stuck) {
    const key = `${s.namespace}/${s.pod}`;
    if (!s.restartable || done.has(key)) continue;
    if (!deps.mayWrite()) throw new LeadershipLost();
    // The uid precondition spares a Pod re-created under the same name since the pass read it.
    const r = await deps.client.deletePod(s.namespace, s.pod, { uid: s.uid });
    done.set(key, r.ok || r.error.kind === "not-found" ? { ok: true } : { ok: false, error: r.error.message });
  }
  return done;
}

function withStuck(
  row: NamespaceResultRow,
  stuck: readonly StuckPod[],
  restarted: ReadonlyMap<string, Restarted>,
): NamespaceResultRow {
  const mine = stuck.filter((s) => s.namespace === row.namespace);
  if (mine.length === 0) return row;
  const pods = [...new Map(mine.map((s) => [s.pod, s])).values()];
  const changes: SyncChange[] = pods.flatMap((s) => {
    const r = restarted.get(`${s.namespace}/${s.pod}`);
    const reason = `stuck in ${s.reason} on ${s.image}; ${s.secretName} now exists`;
    return r
      ? [{ op: "restart-pod", target: `pod/${s.pod}`, reason, ok: r.ok, ...(r.error ? { error: r.error } : {}) }]
      : [];
  });
  const errors = changes.filter((c) => !c.ok).map((c) => `restart-pod ${c.target}: ${c.error}`);
  const next = {
    ...row,
    changes: [...row.changes, ...changes],
    errors: [...row.errors, ...errors],
    stuckPods: mine.map((s) => entryOf(s, restarted.get(`${s.namespace}/${s.pod}`))),
  };
  return { ...next, outcome: outcomeOf(next) };
}

/**
 * Pods stuck on an image pull because they were admitted before their regcred secret existed: reported on
 * their namespace's row; with `restart`, controller-owned ones are deleted so their controller re-creates them.
 */
export async function handleStuckPods(
  deps: StuckPodDeps,
  pods: readonly PodPullState[],
  registries: readonly MatchableRegistry[],
  rows: readonly NamespaceResultRow[],
): Promise<NamespaceResultRow[]> {
  if (pods.length === 0) return [...rows];
  const present = new Map(rows.map((r) => [r.namespace, new Set(r.secrets)]));
  const stuck = findStuckPods(pods, registries, (ns, name) => present.get(ns)?.has(name) ?? false, deps.secretName);
  const restarted = deps.restart ? await restartPods(deps, stuck) : new Map<string, Restarted>();
  return rows.map((row) => withStuck(row, stuck, restarted));
}

import type { NamespaceResultRow } from "@/lib/sync/repo";
import type { SyncChange, SyncConflictEntry, SyncRunSummary } from "@/db/schema/sync";
import type { DesiredState } from "@/lib/sync/desired";
import type { SecretAction, SyncPlan } from "@/lib/sync/plan";

/** What applying one namespace's share of the plan did (from apply.ts). */
export type AppliedNamespace = {
  changes: SyncChange[];
  errors: string[];
  conflicts: SyncConflictEntry[];
  missing: ReadonlySet<string>;
};

const EMPTY: AppliedNamespace = { changes: [], errors: [], conflicts: [], missing: new Set() };

function secretsAfter(actions: readonly SecretAction[], missing: ReadonlySet<string>): string[] {
  return actions
    .filter((a) => a.op !== "delete" && !missing.has(a.name))
    .map((a) => a.name)
    .sort();
}

function warningsFor(ns: string, desired: DesiredState, plan: SyncPlan): string[] {
  const images = desired.warnings.flatMap((w) =>
    w.kind === "image" && w.namespace === ns ? [`${w.workload}: image ${w.image}: ${w.reason}`] : [],
  );
  const wiring = plan.warnings.filter((w) => w.namespace === ns).map((w) => `${w.workload} ${w.reason}`);
  return [...images, ...wiring];
}

function credentialErrors(ns: string, desired: DesiredState): string[] {
  return desired.held.filter((h) => h.namespace === ns).map((h) => `${h.name}: credentials unavailable: ${h.reason}`);
}

export function outcomeOf(row: Omit<NamespaceResultRow, "outcome">): NamespaceResultRow["outcome"] {
  if (row.errors.length > 0) return "error";
  if (row.conflicts.length > 0) return "conflict";
  return row.changes.some((c) => c.ok) ? "changed" : "ok";
}

/** One status row per namespace in scope: what it holds after the pass, what changed, errors, conflicts and warnings. */
export function namespaceResults(
  namespaces: readonly string[],
  desired: DesiredState,
  plan: SyncPlan,
  applied: ReadonlyMap<string, AppliedNamespace>,
): NamespaceResultRow[] {
  return namespaces.map((ns) => {
    const a = applied.get(ns) ?? EMPTY;
    const planned = plan.conflicts.filter((c) => c.namespace === ns).map((c) => ({ name: c.name, reason: c.reason }));
    const row = {
      namespace: ns,
      secrets: secretsAfter(
        plan.secrets.filter((s) => s.namespace === ns),
        a.missing,
      ),
      changes: a.changes,
      errors: [...credentialErrors(ns, desired), ...a.errors],
      conflicts: [...planned, ...a.conflicts],
      warnings: warningsFor(ns, desired, plan),
      stuckPods: [],
    };
    return { ...row, outcome: outcomeOf(row) };
  });
}

export function summarize(rows: readonly NamespaceResultRow[], mints: number): SyncRunSummary {
  const ok = rows.flatMap((r) => r.changes.filter((c) => c.ok));
  const count = (...ops: SyncChange["op"][]) => ok.filter((c) => ops.includes(c.op)).length;
  return {
    created: count("create", "recreate"),
    updated: count("update"),
    deleted: count("delete"),
    markedUnused: count("mark-unused"),
    serviceAccounts: count("patch-sa"),
    workloads: count("patch-workload"),
    conflicts: rows.reduce((n, r) => n + r.conflicts.length, 0),
    errors: rows.reduce((n, r) => n + r.errors.length, 0),
    warnings: rows.reduce((n, r) => n + r.warnings.length, 0),
    mints,
  };
}

/** Restricts ServiceAccount patches to removals: in webhook mode pods get their references from the webhook. */
export function removalsOnly(plan: SyncPlan): SyncPlan {
  const serviceAccounts = plan.serviceAccounts.flatMap((p) => {
    if (p.removed.length === 0) return [];
    const imagePullSecrets = p.imagePullSecrets.filter((r) => !p.added.includes(r.name ?? ""));
    return [{ ...p, added: [], imagePullSecrets }];
  });
  return { ...plan, serviceAccounts };
}

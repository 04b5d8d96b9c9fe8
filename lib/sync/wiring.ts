import { type DesiredServiceAccount, type DesiredState, type DesiredWorkload, groupServiceAccounts } from "./desired";
import type { LocalObjectReference, WorkloadKind } from "@/lib/integrations/kube/workloads";
import type { PlannedWiringMode } from "./wiring-modes";

export type ActualServiceAccount = {
  namespace: string;
  name: string;
  imagePullSecrets?: readonly LocalObjectReference[];
  annotations?: Readonly<Record<string, string>>;
  /** Entries the owner recorded on the ServiceAccount as its own (ownership.ts); absent: no record kept. */
  recorded?: readonly string[];
};
type PullSecretChange = { imagePullSecrets: LocalObjectReference[]; added: string[]; removed: string[] };
/**
 * The full new imagePullSecrets list: foreign entries kept in order, Regcred's added or removed. `owned` (when a record
 * is kept) lists the entries the owner holds after the patch; `annotations` is the ServiceAccount's current set.
 */
export type ServiceAccountPatch = {
  op: "patch-sa";
  namespace: string;
  name: string;
  owned?: string[];
  annotations?: Readonly<Record<string, string>>;
} & PullSecretChange;
export type WorkloadPatch = {
  op: "patch-workload";
  namespace: string;
  kind: WorkloadKind;
  name: string;
} & PullSecretChange;
export type WiringWarning = { namespace: string; workload: string; reason: string };
export type Wiring = { serviceAccounts: ServiceAccountPatch[]; workloads: WorkloadPatch[]; warnings: WiringWarning[] };

/** Per-namespace facts from the secret plan; every predicate takes (namespace, secret name). */
export type WiringFacts = {
  /** Regcred's secret is wanted and exists after the plan. */
  available: (namespace: string, name: string) => boolean;
  /** Regcred's secret is unused but inside its grace period: existing references stay. */
  lingering: (namespace: string, name: string) => boolean;
  /** A reference Regcred may remove: its own secret name, never a foreign secret's. */
  own: (namespace: string, name: string) => boolean;
  /** A secret of that name exists (whoever owns it); a recorded entry counts as own only while its secret is gone or own. */
  exists?: (namespace: string, name: string) => boolean;
};

export function mergePullSecrets(
  current: readonly LocalObjectReference[],
  wanted: readonly string[],
  keep: (name: string) => boolean,
  own: (name: string) => boolean,
): PullSecretChange {
  const kept: LocalObjectReference[] = [];
  const seen = new Set<string>();
  const removed: string[] = [];
  for (const ref of current) {
    const name = ref.name ?? "";
    if (!own(name)) kept.push(ref);
    else if (!wanted.includes(name) && !keep(name)) removed.push(name);
    else if (!seen.has(name)) kept.push(ref);
    seen.add(name);
  }
  const added = wanted.filter((name) => !seen.has(name));
  return { imagePullSecrets: [...kept, ...added.map((name) => ({ name }))], added, removed };
}

const sameNames = (a: readonly LocalObjectReference[], b: readonly LocalObjectReference[]) =>
  a.length === b.length && a.every((ref, i) => ref.name === b[i]?.name);

function planServiceAccounts(
  wants: readonly DesiredServiceAccount[],
  actual: readonly ActualServiceAccount[],
  facts: WiringFacts,
): ServiceAccountPatch[] {
  const byKey = new Map(wants.map((sa) => [`${sa.namespace}/${sa.name}`, sa.secretNames]));
  return actual.flatMap((sa): ServiceAccountPatch[] => {
    const ns = sa.namespace;
    const wanted = (byKey.get(`${ns}/${sa.name}`) ?? []).filter((name) => facts.available(ns, name));
    const current = sa.imagePullSecrets ?? [];
    const recorded = sa.recorded;
    const own = (n: string) =>
      facts.own(ns, n) || (recorded !== undefined && recorded.includes(n) && !facts.exists?.(ns, n));
    const change = mergePullSecrets(current, wanted, (n) => facts.lingering(ns, n), own);
    const patch: ServiceAccountPatch = { op: "patch-sa", namespace: ns, name: sa.name, ...change };
    if (recorded === undefined) return sameNames(current, change.imagePullSecrets) ? [] : [patch];
    const owned = [
      ...new Set(change.imagePullSecrets.map((r) => r.name ?? "").filter((n) => own(n) || change.added.includes(n))),
    ].sort();
    const sameRecord = owned.length === recorded.length && owned.every((n) => recorded.includes(n));
    return sameNames(current, change.imagePullSecrets) && sameRecord
      ? []
      : [{ ...patch, owned, annotations: sa.annotations ?? {} }];
  });
}

function planWorkloads(workloads: readonly DesiredWorkload[], facts: WiringFacts, active: boolean): WorkloadPatch[] {
  return workloads
    .filter((w) => w.templatePatchable)
    .flatMap((w): WorkloadPatch[] => {
      const ns = w.namespace;
      const wanted = active ? w.secretNames.filter((name) => facts.available(ns, name)) : [];
      const change = mergePullSecrets(
        w.imagePullSecrets,
        wanted,
        (n) => active && facts.lingering(ns, n),
        (n) => facts.own(ns, n),
      );
      if (sameNames(w.imagePullSecrets, change.imagePullSecrets)) return [];
      return [{ op: "patch-workload", namespace: ns, kind: w.kind, name: w.name, ...change }];
    });
}

// The ServiceAccount admission plugin copies the ServiceAccount's imagePullSecrets only into pods that list none.
function bypassWarnings(workloads: readonly DesiredWorkload[], facts: WiringFacts): WiringWarning[] {
  return workloads.flatMap((w) => {
    const listed = new Set(w.imagePullSecrets.map((ref) => ref.name));
    const missing = w.secretNames.filter((name) => facts.available(w.namespace, name) && !listed.has(name));
    if (w.controlled || w.imagePullSecrets.length === 0 || missing.length === 0) return [];
    const reason = `sets its own imagePullSecrets, so its pods do not get the ServiceAccount's ${missing.join(", ")}`;
    return [{ namespace: w.namespace, workload: `${w.kind}/${w.name}`, reason }];
  });
}

/** ServiceAccount and pod-template patches; the inactive mode only loses Regcred's references. */
export function planPullSecretWiring(
  desired: DesiredState,
  serviceAccounts: readonly ActualServiceAccount[],
  facts: WiringFacts,
  mode: PlannedWiringMode,
): Wiring {
  const templates = mode === "podtemplate";
  // Bare Pods and Jobs cannot have their templates patched, so their ServiceAccounts stay wired in podtemplate mode.
  const saWants = templates
    ? groupServiceAccounts(desired.workloads.filter((w) => !w.templatePatchable && !w.controlled))
    : desired.serviceAccounts;
  return {
    serviceAccounts: planServiceAccounts(saWants, serviceAccounts, facts),
    workloads: planWorkloads(desired.workloads, facts, templates),
    warnings: templates ? [] : bypassWarnings(desired.workloads, facts),
  };
}

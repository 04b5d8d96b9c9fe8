import { hashSecretContent } from "./content";
import type { DesiredSecret, DesiredState, HeldSecret } from "./desired";
import * as L from "./labels";
import { type ActualServiceAccount, planPullSecretWiring, type Wiring, type WiringFacts, type WiringMode } from "./wiring";

export type ActualSecret = {
  namespace: string;
  name: string;
  type: string;
  labels?: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
  /** When given, the data is hashed too, so a hand-edited secret is put back. */
  data?: Readonly<Record<string, string>>;
};
type Target = { namespace: string; name: string; reason: string };
/** create/update/recreate carry the whole desired secret; update replaces Regcred's labels and annotations (dropping unused-since). */
export type SecretAction =
  | (Target & { op: "create" | "update" | "recreate"; secret: DesiredSecret })
  | (Target & { op: "delete" | "noop" })
  | (Target & { op: "mark-unused"; since: string });
export type SyncConflict = Target;
export type PlanInput = {
  desired: DesiredState;
  /** Secrets found in the namespaces, Regcred's and others'. */
  actual: readonly ActualSecret[];
  serviceAccounts: readonly ActualServiceAccount[];
  now: Date;
  gracePeriodMs: number;
  deletedRegistryIds?: readonly string[];
  wiring?: WiringMode;
};
export type SyncPlan = Wiring & { secrets: SecretAction[]; conflicts: SyncConflict[] };

const keyOf = (x: { namespace: string; name: string }) => `${x.namespace}/${x.name}`;

function conflict(a: ActualSecret): SyncConflict {
  return { namespace: a.namespace, name: a.name, reason: `a secret named ${a.name} exists and is not managed by Regcred` };
}

function drift(d: DesiredSecret, a: ActualSecret): string[] {
  const annotations = a.annotations ?? {};
  const labels = a.labels ?? {};
  const stored = annotations[L.CONTENT_HASH_ANNOTATION];
  const reasons: string[] = [];
  if (stored !== d.contentHash || (a.data && hashSecretContent(a.type, a.data) !== d.contentHash)) reasons.push("content changed");
  const argo = L.ARGOCD_COMPARE_ANNOTATION;
  if (L.OWN_LABEL_KEYS.some((k) => labels[k] !== d.labels[k]) || annotations[argo] !== d.annotations[argo]) reasons.push("labels changed");
  if (annotations[L.UNUSED_SINCE_ANNOTATION] !== undefined) reasons.push("in use again");
  return reasons;
}

function planDesired(d: DesiredSecret, a: ActualSecret | undefined): SecretAction | SyncConflict {
  const target = { namespace: d.namespace, name: d.name };
  if (!a) return { op: "create", ...target, reason: "missing", secret: d };
  if (!L.isManagedSecret(a)) return conflict(a);
  if (a.type !== d.type) return { op: "recreate", ...target, reason: `type changes from ${a.type} to ${d.type}`, secret: d };
  const reasons = drift(d, a);
  if (reasons.length === 0) return { op: "noop", ...target, reason: "up to date" };
  return { op: "update", ...target, reason: reasons.join(", "), secret: d };
}

function planHeld(h: HeldSecret, a: ActualSecret | undefined, now: Date): SecretAction | SyncConflict | null {
  if (!a) return null;
  if (!L.isManagedSecret(a)) return conflict(a);
  const expiry = L.parseExpiryLabel(a.labels?.[L.EXPIRES_LABEL] ?? "");
  const target = { namespace: a.namespace, name: a.name };
  if (expiry && expiry <= now) {
    return { op: "delete", ...target, reason: `credentials unavailable (${h.reason}) and the secret expired at ${expiry.toISOString()}` };
  }
  const until = expiry ? ` until ${expiry.toISOString()}` : "";
  return { op: "noop", ...target, reason: `credentials unavailable (${h.reason}); keeping the existing secret${until}` };
}

function planUnused(a: ActualSecret, input: PlanInput, deleted: ReadonlySet<string>): SecretAction {
  const target = { namespace: a.namespace, name: a.name };
  const registryId = a.labels?.[L.REGISTRY_LABEL] ?? "";
  if (deleted.has(registryId)) return { op: "delete", ...target, reason: `registry ${registryId} was deleted` };
  const raw = a.annotations?.[L.UNUSED_SINCE_ANNOTATION];
  const since = raw ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(since)) {
    return { op: "mark-unused", ...target, reason: "no workload in the namespace uses the registry", since: input.now.toISOString() };
  }
  const deleteAt = new Date(since + input.gracePeriodMs);
  if (input.now >= deleteAt) return { op: "delete", ...target, reason: `unused since ${raw}; the grace period is over` };
  return { op: "noop", ...target, reason: `unused since ${raw}; deleted after ${deleteAt.toISOString()}` };
}

function wiringFacts(input: PlanInput, secrets: readonly SecretAction[], wanted: ReadonlySet<string>, ownIds: ReadonlySet<string>): WiringFacts {
  const kept = secrets.filter((s) => s.op !== "delete").map(keyOf);
  const available = new Set(kept.filter((k) => wanted.has(k)));
  const lingering = new Set(kept.filter((k) => !wanted.has(k)));
  const managed = new Set(input.actual.filter(L.isManagedSecret).map(keyOf));
  const foreign = new Set(input.actual.filter((a) => !L.isManagedSecret(a)).map(keyOf));
  const ownName = (name: string) => name.startsWith(L.SECRET_NAME_PREFIX) && ownIds.has(name.slice(L.SECRET_NAME_PREFIX.length));
  return {
    available: (ns, name) => available.has(`${ns}/${name}`),
    lingering: (ns, name) => lingering.has(`${ns}/${name}`),
    own: (ns, name) => !foreign.has(`${ns}/${name}`) && (managed.has(`${ns}/${name}`) || ownName(name)),
  };
}

/** Turns desired and actual state into secret actions, conflicts and pull-secret wiring; foreign secrets are never touched. */
export function planSecretSync(input: PlanInput): SyncPlan {
  const deleted = new Set(input.deletedRegistryIds ?? []);
  const actual = new Map(input.actual.map((a) => [keyOf(a), a]));
  const secrets: SecretAction[] = [];
  const conflicts: SyncConflict[] = [];
  const wanted = new Set<string>();
  const record = (result: SecretAction | SyncConflict | null) => {
    if (result && "op" in result) secrets.push(result);
    else if (result) conflicts.push(result);
  };
  for (const d of input.desired.secrets.filter((s) => !deleted.has(s.registryId))) {
    wanted.add(keyOf(d));
    record(planDesired(d, actual.get(keyOf(d))));
  }
  for (const h of input.desired.held.filter((s) => !deleted.has(s.registryId))) {
    wanted.add(keyOf(h));
    record(planHeld(h, actual.get(keyOf(h)), input.now));
  }
  for (const a of input.actual) if (!wanted.has(keyOf(a)) && L.isManagedSecret(a)) record(planUnused(a, input, deleted));
  const facts = wiringFacts(input, secrets, wanted, new Set([...input.desired.registryIds, ...deleted]));
  const wiring = planPullSecretWiring(input.desired, input.serviceAccounts, facts, input.wiring ?? "serviceaccount");
  return { ...wiring, secrets, conflicts };
}

/** True when applying the plan would write anything to the cluster. */
export function hasWrites(plan: SyncPlan): boolean {
  return plan.secrets.some((s) => s.op !== "noop") || plan.serviceAccounts.length > 0 || plan.workloads.length > 0;
}

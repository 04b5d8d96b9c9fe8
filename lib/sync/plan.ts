import { hashSecretContent } from "./content";
import type { DesiredSecret, DesiredState, HeldSecret } from "./desired";
import * as L from "./labels";
import { isLegacySecret, isOwnedBy, type Owner, ownerLabels, recordedPullSecrets } from "./ownership";
import { type ActualServiceAccount, planPullSecretWiring, type Wiring, type WiringFacts } from "./wiring";
import type { PlannedWiringMode } from "./wiring-modes";

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
/**
 * create/update/recreate carry the whole desired secret; update replaces Regcred's labels and annotations (dropping
 * unused-since). `adopt` marks the first write to a secret the previous release wrote: it gains this owner's labels.
 */
export type SecretAction = (
  | (Target & { op: "create" | "update" | "recreate"; secret: DesiredSecret })
  | (Target & { op: "delete" | "noop" })
  | (Target & { op: "mark-unused"; since: string })
  | (Target & { op: "adopt"; labels: Record<string, string> })
) & { adopt?: boolean };
export type SyncConflict = Target;
export type PlanInput = {
  desired: DesiredState;
  /** Secrets found in the namespaces, Regcred's and others'. */
  actual: readonly ActualSecret[];
  serviceAccounts: readonly ActualServiceAccount[];
  now: Date;
  gracePeriodMs: number;
  deletedRegistryIds?: readonly string[];
  wiring?: PlannedWiringMode;
  /** This installation and org: only secrets and ServiceAccount entries carrying it are updated or deleted. */
  owner?: Owner;
  /**
   * `namespace/name` of secrets this installation's database recorded holding (sync_namespaces): a secret there that
   * the previous release wrote (no installation label) is adopted; any other is someone else's.
   */
  adoptable?: ReadonlySet<string>;
};
export type SyncPlan = Wiring & { secrets: SecretAction[]; conflicts: SyncConflict[] };

const keyOf = (x: { namespace: string; name: string }) => `${x.namespace}/${x.name}`;

export type Claim = "mine" | "adopt" | "other";

/**
 * Whose secret this is, for this owner: its own (both identity labels), the previous release's to adopt (no
 * installation label, a registry of this org, recorded in this installation's database as held there), or someone else's.
 */
export function claimOf(
  a: ActualSecret,
  owner: Owner | undefined,
  adoptable: ReadonlySet<string> | undefined,
  known: ReadonlySet<string>,
): Claim {
  if (!owner) return L.isManagedSecret(a) ? "mine" : "other";
  if (isOwnedBy(a, owner)) return "mine";
  const legacy = isLegacySecret(a) && known.has(a.labels?.[L.REGISTRY_LABEL] ?? "") && adoptable?.has(keyOf(a));
  return legacy ? "adopt" : "other";
}

function conflict(a: ActualSecret): SyncConflict {
  const labels = a.labels ?? {};
  const why = !L.isManagedSecret(a)
    ? "is not managed by Regcred"
    : labels[L.INSTALLATION_LABEL]
      ? `belongs to another Regcred installation or org (${labels[L.INSTALLATION_LABEL]}/${labels[L.ORG_LABEL] ?? "?"})`
      : "was written by a Regcred release without installation identity and is not recorded as this installation's";
  return { namespace: a.namespace, name: a.name, reason: `a secret named ${a.name} exists and ${why}` };
}

function drift(d: DesiredSecret, a: ActualSecret): string[] {
  const annotations = a.annotations ?? {};
  const labels = a.labels ?? {};
  const stored = annotations[L.CONTENT_HASH_ANNOTATION];
  const reasons: string[] = [];
  if (stored !== d.contentHash || (a.data && hashSecretContent(a.type, a.data) !== d.contentHash))
    reasons.push("content changed");
  const argo = L.ARGOCD_COMPARE_ANNOTATION;
  if (L.OWN_LABEL_KEYS.some((k) => labels[k] !== d.labels[k]) || annotations[argo] !== d.annotations[argo])
    reasons.push("labels changed");
  if (annotations[L.UNUSED_SINCE_ANNOTATION] !== undefined) reasons.push("in use again");
  return reasons;
}

function planDesired(
  d: DesiredSecret,
  a: ActualSecret | undefined,
  claim: (a: ActualSecret) => Claim,
): SecretAction | SyncConflict {
  const target = { namespace: d.namespace, name: d.name };
  if (!a) return { op: "create", ...target, reason: "missing", secret: d };
  const c = claim(a);
  if (c === "other") return conflict(a);
  const adopt = c === "adopt" ? { adopt: true } : {};
  if (a.type !== d.type)
    return { op: "recreate", ...target, reason: `type changes from ${a.type} to ${d.type}`, secret: d, ...adopt };
  if (c === "adopt")
    return { op: "update", ...target, reason: "adopted from the previous release", secret: d, adopt: true };
  const reasons = drift(d, a);
  if (reasons.length === 0) return { op: "noop", ...target, reason: "up to date" };
  return { op: "update", ...target, reason: reasons.join(", "), secret: d };
}

function planHeld(
  h: HeldSecret,
  a: ActualSecret | undefined,
  input: PlanInput,
  claim: (a: ActualSecret) => Claim,
): SecretAction | SyncConflict | null {
  const now = input.now;
  if (!a) return null;
  const c = claim(a);
  if (c === "other") return conflict(a);
  const expiry = L.parseExpiryLabel(a.labels?.[L.EXPIRES_LABEL] ?? "");
  const target = { namespace: a.namespace, name: a.name };
  if (expiry && expiry <= now) {
    return {
      op: "delete",
      ...target,
      reason: `credentials unavailable (${h.reason}) and the secret expired at ${expiry.toISOString()}`,
    };
  }
  const until = expiry ? ` until ${expiry.toISOString()}` : "";
  if (c === "adopt") return adoptOnly(a, input);
  return {
    op: "noop",
    ...target,
    reason: `credentials unavailable (${h.reason}); keeping the existing secret${until}`,
  };
}

function adoptOnly(a: ActualSecret, input: PlanInput): SecretAction {
  return {
    op: "adopt",
    namespace: a.namespace,
    name: a.name,
    reason: "adopted from the previous release",
    labels: ownerLabels(input.owner!),
    adopt: true,
  };
}

function planUnused(a: ActualSecret, input: PlanInput, deleted: ReadonlySet<string>, c: Claim): SecretAction {
  const target = { namespace: a.namespace, name: a.name };
  const registryId = a.labels?.[L.REGISTRY_LABEL] ?? "";
  if (deleted.has(registryId)) return { op: "delete", ...target, reason: `registry ${registryId} was deleted` };
  // Labelled first; the grace period starts on the next pass.
  if (c === "adopt") return adoptOnly(a, input);
  const raw = a.annotations?.[L.UNUSED_SINCE_ANNOTATION];
  const since = raw ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(since)) {
    return {
      op: "mark-unused",
      ...target,
      reason: "no workload in the namespace uses the registry",
      since: input.now.toISOString(),
    };
  }
  const deleteAt = new Date(since + input.gracePeriodMs);
  if (input.now >= deleteAt)
    return { op: "delete", ...target, reason: `unused since ${raw}; the grace period is over` };
  return { op: "noop", ...target, reason: `unused since ${raw}; deleted after ${deleteAt.toISOString()}` };
}

function wiringFacts(
  input: PlanInput,
  secrets: readonly SecretAction[],
  wanted: ReadonlySet<string>,
  ownIds: ReadonlySet<string>,
  claim: (a: ActualSecret) => Claim,
): WiringFacts {
  const kept = secrets.filter((s) => s.op !== "delete").map(keyOf);
  const available = new Set(kept.filter((k) => wanted.has(k)));
  const lingering = new Set(kept.filter((k) => !wanted.has(k)));
  const managed = new Set(input.actual.filter((a) => claim(a) !== "other").map(keyOf));
  const foreign = new Set(input.actual.filter((a) => claim(a) === "other").map(keyOf));
  const exists = new Set(input.actual.map(keyOf));
  const ownName = (name: string) =>
    name.startsWith(L.SECRET_NAME_PREFIX) && ownIds.has(name.slice(L.SECRET_NAME_PREFIX.length));
  // With an owner, a name is the owner's only by its secret's labels or (secret gone) the ServiceAccount's record.
  const own = input.owner
    ? (ns: string, name: string) => managed.has(`${ns}/${name}`)
    : (ns: string, name: string) => !foreign.has(`${ns}/${name}`) && (managed.has(`${ns}/${name}`) || ownName(name));
  return {
    available: (ns, name) => available.has(`${ns}/${name}`),
    lingering: (ns, name) => lingering.has(`${ns}/${name}`),
    own,
    exists: (ns, name) => exists.has(`${ns}/${name}`),
  };
}

/** Turns desired and actual state into secret actions, conflicts and pull-secret wiring; foreign secrets are never touched. */
export function planSecretSync(input: PlanInput): SyncPlan {
  const deleted = new Set(input.deletedRegistryIds ?? []);
  const known = new Set([...input.desired.registryIds, ...deleted]);
  const claims = new Map(input.actual.map((a) => [keyOf(a), claimOf(a, input.owner, input.adoptable, known)]));
  const claim = (a: ActualSecret) => claims.get(keyOf(a)) ?? "other";
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
    record(planDesired(d, actual.get(keyOf(d)), claim));
    // Served under its own name because another owner holds regcred-<id> here: still reported.
    const primary = actual.get(`${d.namespace}/${L.secretNameFor(d.registryId)}`);
    if (d.name !== L.secretNameFor(d.registryId) && primary)
      conflicts.push({
        ...conflict(primary),
        reason: `${conflict(primary).reason}; this namespace uses ${d.name} instead`,
      });
  }
  for (const h of input.desired.held.filter((s) => !deleted.has(s.registryId))) {
    wanted.add(keyOf(h));
    record(planHeld(h, actual.get(keyOf(h)), input, claim));
  }
  for (const a of input.actual)
    if (!wanted.has(keyOf(a)) && claim(a) !== "other") record(planUnused(a, input, deleted, claim(a)));
  const facts = wiringFacts(input, secrets, wanted, known, claim);
  const owner = input.owner;
  const serviceAccounts = owner
    ? input.serviceAccounts.map((sa) => ({ ...sa, recorded: recordedPullSecrets(sa, owner) }))
    : input.serviceAccounts;
  const wiring = planPullSecretWiring(input.desired, serviceAccounts, facts, input.wiring ?? "serviceaccount");
  return { ...wiring, secrets, conflicts };
}

/** True when applying the plan would write anything to the cluster. */
export function hasWrites(plan: SyncPlan): boolean {
  return plan.secrets.some((s) => s.op !== "noop") || plan.serviceAccounts.length > 0 || plan.workloads.length > 0;
}

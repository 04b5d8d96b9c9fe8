import "server-only";
import type { SyncChange, SyncConflictEntry } from "@/db/schema/sync";
import type { KubeClient, KubeError, KubeSecret, KubeServiceAccount, SecretWrite } from "@/lib/integrations/kube";
import { describeError, log } from "@/lib/log";
import type { DesiredSecret } from "@/lib/sync/desired";
import * as L from "@/lib/sync/labels";
import {
  isOwnedBy,
  type Owner,
  pullSecretsAnnotationKey,
  recordedPullSecrets,
  recordPullSecrets,
} from "@/lib/sync/ownership";
import type { SecretAction, SyncPlan } from "@/lib/sync/plan";
import type { ServiceAccountPatch, WorkloadPatch } from "@/lib/sync/wiring";

export type NamespaceApply = {
  changes: SyncChange[];
  errors: string[];
  conflicts: SyncConflictEntry[];
  retry: boolean;
  /** Secrets this pass meant to create but could not: references to them are not added. */
  missing: Set<string>;
  /** Objects the previous release wrote that this pass labelled or recorded as its owner's (`secret/<name>`, `serviceaccount/<name>:<entry>`). */
  adopted: string[];
};
export type ApplyContext = {
  client: KubeClient;
  /** Secrets as read in this pass (Regcred's and same-named foreign ones), by `namespace/name`. */
  actual: ReadonlyMap<string, KubeSecret>;
  /** resourceVersions of ServiceAccounts and workloads as read, by `Kind/namespace/name`. */
  versions: ReadonlyMap<string, string | null>;
  /** Checked before every write: false once this instance lost the lease. */
  mayWrite: () => boolean;
  /** Every object this pass wrote, as the API answered (a deleted secret: null), so the cache holds it before its watch event. */
  onWrite?: (write: OwnWrite) => void;
  /** Recorded on ServiceAccounts beside the entries it adds (see ownership.ts). */
  owner?: Owner;
};

const OWN_ANNOTATIONS = [L.CONTENT_HASH_ANNOTATION, L.ARGOCD_COMPARE_ANNOTATION, L.UNUSED_SINCE_ANNOTATION];

export type OwnWrite =
  | { kind: "Secret"; namespace: string; name: string; secret: KubeSecret | null }
  | { kind: "ServiceAccount"; serviceAccount: KubeServiceAccount };

export class LeadershipLost extends Error {
  constructor() {
    super("this instance no longer holds the cluster's lease");
  }
}

function omit(record: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));
}

/** The desired secret, keeping labels and annotations others put on the existing one. */
export function secretWrite(d: DesiredSecret, existing?: KubeSecret): SecretWrite {
  return {
    namespace: d.namespace,
    name: d.name,
    type: d.type,
    labels: { ...omit(existing?.labels ?? {}, L.OWN_LABEL_KEYS), ...d.labels },
    annotations: { ...omit(existing?.annotations ?? {}, OWN_ANNOTATIONS), ...d.annotations },
    data: d.data,
  };
}

const describe = (e: KubeError) => e.message;
const isKubeError = (err: unknown): err is KubeError =>
  typeof (err as KubeError | null)?.kind === "string" && typeof (err as KubeError).message === "string";

async function createSecret(ctx: ApplyContext, d: DesiredSecret, out: NamespaceApply): Promise<boolean> {
  const created = await ctx.client.createSecret(secretWrite(d));
  if (created.ok) {
    ctx.onWrite?.({ kind: "Secret", namespace: d.namespace, name: d.name, secret: created.value });
    return true;
  }
  if (created.error.kind !== "conflict") throw created.error;
  // Created by someone else since the pass read the cluster: decide again on the next pass.
  const now = await ctx.client.getSecret(d.namespace, d.name);
  const own = (meta: KubeSecret) => (ctx.owner ? isOwnedBy(meta, ctx.owner) : L.isManagedSecret(meta));
  if (now.ok && !own(now.value))
    out.conflicts.push({ name: d.name, reason: `a secret named ${d.name} exists and is not managed by Regcred` });
  else out.retry = true;
  return false;
}

async function secretAction(ctx: ApplyContext, a: SecretAction, out: NamespaceApply): Promise<boolean> {
  const key = `${a.namespace}/${a.name}`;
  const existing = ctx.actual.get(key);
  const wrote = (secret: KubeSecret | null) =>
    ctx.onWrite?.({ kind: "Secret", namespace: a.namespace, name: a.name, secret });
  const pre = { resourceVersion: existing?.resourceVersion ?? null };
  switch (a.op) {
    case "noop":
      return true;
    case "adopt": {
      const r = await ctx.client.annotateSecret(a.namespace, a.name, {}, pre, a.labels);
      if (!r.ok) throw r.error;
      wrote(r.value);
      out.adopted.push(`secret/${a.name}`);
      return true;
    }
    case "create":
      return createSecret(ctx, a.secret, out);
    case "update": {
      const r = await ctx.client.replaceSecret(secretWrite(a.secret, existing), pre);
      if (!r.ok) throw r.error;
      wrote(r.value);
      if (a.adopt) out.adopted.push(`secret/${a.name}`);
      return true;
    }
    case "recreate": {
      const del = await ctx.client.deleteSecret(a.namespace, a.name, pre);
      if (!del.ok && del.error.kind !== "not-found") throw del.error;
      wrote(null);
      return createSecret(ctx, a.secret, out);
    }
    case "mark-unused": {
      const r = await ctx.client.annotateSecret(a.namespace, a.name, { [L.UNUSED_SINCE_ANNOTATION]: a.since }, pre);
      if (!r.ok) throw r.error;
      wrote(r.value);
      return true;
    }
    case "delete": {
      const r = await ctx.client.deleteSecret(a.namespace, a.name, pre);
      if (!r.ok && r.error.kind !== "not-found") throw r.error;
      wrote(null);
      return true;
    }
  }
}

/** The owner's record on the ServiceAccount after the patch, when it changes; adopted entries are those it held unrecorded. */
function ownershipRecord(
  ctx: ApplyContext,
  p: ServiceAccountPatch,
): { annotations: Record<string, string | null>; adopted: string[] } | null {
  if (!ctx.owner || !p.owned) return null;
  const listed = new Set(p.imagePullSecrets.map((r) => r.name ?? ""));
  const owned = p.owned.filter((n) => listed.has(n));
  const before = p.annotations ?? {};
  const key = pullSecretsAnnotationKey(ctx.owner.installation);
  const value = recordPullSecrets({ annotations: before }, ctx.owner, owned);
  if (value === (before[key] ?? null)) return null;
  const recorded = recordedPullSecrets({ annotations: before }, ctx.owner);
  const adopted = owned
    .filter((n) => !recorded.includes(n) && !p.added.includes(n))
    .map((n) => `serviceaccount/${p.name}:${n}`);
  return { annotations: { [key]: value }, adopted };
}

async function wiringAction(
  ctx: ApplyContext,
  patch: ServiceAccountPatch | WorkloadPatch,
  out: NamespaceApply,
): Promise<boolean> {
  const skip = patch.added.filter((name) => out.missing.has(name));
  const p =
    skip.length === 0
      ? patch
      : {
          ...patch,
          added: patch.added.filter((n) => !skip.includes(n)),
          imagePullSecrets: patch.imagePullSecrets.filter((r) => !skip.includes(r.name ?? "")),
        };
  const record = p.op === "patch-sa" ? ownershipRecord(ctx, p) : null;
  if (p.added.length === 0 && p.removed.length === 0 && !record) return false;
  if (p.op === "patch-sa") {
    const pre = { resourceVersion: ctx.versions.get(`ServiceAccount/${p.namespace}/${p.name}`) ?? null };
    const r = await ctx.client.patchServiceAccountPullSecrets(
      p.namespace,
      p.name,
      p.imagePullSecrets,
      pre,
      record?.annotations,
    );
    if (!r.ok) throw r.error;
    ctx.onWrite?.({ kind: "ServiceAccount", serviceAccount: r.value });
    out.adopted.push(...(record?.adopted ?? []));
    return true;
  }
  const pre = { resourceVersion: ctx.versions.get(`${p.kind}/${p.namespace}/${p.name}`) ?? null };
  const r = await ctx.client.patchWorkloadPullSecrets(p.kind, p.namespace, p.name, p.imagePullSecrets, pre);
  if (!r.ok) throw r.error;
  return true;
}

function wiringReason(p: ServiceAccountPatch | WorkloadPatch): string {
  const parts = [
    p.added.length ? `add ${p.added.join(", ")}` : "",
    p.removed.length ? `remove ${p.removed.join(", ")}` : "",
  ].filter(Boolean);
  return parts.join("; ") || (p.op === "patch-sa" && p.owned ? "record Regcred's entries" : "reorder");
}

/** `run` resolves false when it wrote nothing after all; `creates` names the secret a create/recreate step brings into being. */
type Step = { change: Omit<SyncChange, "ok">; run: (out: NamespaceApply) => Promise<boolean>; creates?: string };

function stepsFor(
  ctx: ApplyContext,
  secrets: SecretAction[],
  wiring: Array<ServiceAccountPatch | WorkloadPatch>,
): Step[] {
  const secretStep = (a: SecretAction): Step => ({
    change: {
      op: (a.op === "adopt" ? "update" : a.op) as SyncChange["op"],
      target: `secret/${a.name}`,
      reason: a.reason,
    },
    run: (out) => secretAction(ctx, a, out),
    creates: a.op === "create" || a.op === "recreate" ? a.name : undefined,
  });
  const writes = secrets.filter((a) => a.op !== "noop" && a.op !== "delete");
  const deletes = secrets.filter((a) => a.op === "delete");
  const wire = wiring.map((p): Step => ({
    change: {
      op: p.op,
      target: p.op === "patch-sa" ? `serviceaccount/${p.name}` : `${p.kind.toLowerCase()}/${p.name}`,
      reason: wiringReason(p),
    },
    run: (out) => wiringAction(ctx, p, out),
  }));
  // Secrets exist before anything references them; references go before their secrets are deleted.
  return [...writes.map(secretStep), ...wire, ...deletes.map(secretStep)];
}

/** Applies one namespace's part of the plan, in order; a failed write is recorded and the rest still run. */
export async function applyNamespace(
  ctx: ApplyContext,
  secrets: SecretAction[],
  wiring: Array<ServiceAccountPatch | WorkloadPatch>,
): Promise<NamespaceApply> {
  const out: NamespaceApply = { changes: [], errors: [], conflicts: [], retry: false, missing: new Set(), adopted: [] };
  for (const step of stepsFor(ctx, secrets, wiring)) {
    if (!ctx.mayWrite()) throw new LeadershipLost();
    try {
      const done = await step.run(out);
      if (done !== false) out.changes.push({ ...step.change, ok: true });
      else if (step.creates) out.missing.add(step.creates);
    } catch (err) {
      if (step.creates) out.missing.add(step.creates);
      const e = isKubeError(err) ? err : null;
      if (!e) log.error("sync write failed unexpectedly", { target: step.change.target, ...describeError(err) });
      const message = e ? describe(e) : "write failed; the server log has the details";
      // Conflicts and outages pass; a retry with backoff settles them.
      if (e?.kind === "conflict" || e?.kind === "unreachable") out.retry = true;
      out.changes.push({ ...step.change, ok: false, error: message });
      out.errors.push(`${step.change.op} ${step.change.target}: ${message}`);
    }
  }
  return out;
}

export function groupByNamespace(plan: Pick<SyncPlan, "secrets" | "serviceAccounts" | "workloads">) {
  const groups = new Map<string, { secrets: SecretAction[]; wiring: Array<ServiceAccountPatch | WorkloadPatch> }>();
  const group = (ns: string) => {
    let g = groups.get(ns);
    if (!g) groups.set(ns, (g = { secrets: [], wiring: [] }));
    return g;
  };
  for (const a of plan.secrets) group(a.namespace).secrets.push(a);
  for (const p of [...plan.serviceAccounts, ...plan.workloads]) group(p.namespace).wiring.push(p);
  return groups;
}

import "server-only";
import { toWorkload } from "@/lib/integrations/kube/mappers";
import type { KubeClient, KubeError, WatchEvent, WatchHandle, WatchKind } from "@/lib/integrations/kube";
import type { WorkloadKind } from "@/lib/integrations/kube/workloads";
import { extractWorkloadImages, type WorkloadImages } from "@/lib/sync/workload-images";
import { MANAGED_SELECTOR } from "./observe";
import type { ClusterState } from "./observe";

const WORKLOAD_KINDS: WorkloadKind[] = [
  "Pod",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "Job",
  "CronJob",
];

export type WatchSetOptions = {
  client: KubeClient;
  /** A change that can alter the desired state (or a watch gap): run a pass. */
  onChange: (reason: string) => void;
  onError?: (kind: WatchKind, error: KubeError, retryInMs: number) => void;
};

/** What the desired state depends on for one workload: same fingerprint in the same namespace, same outcome. */
export function workloadFingerprint(w: WorkloadImages): string {
  const patchable = w.templatePatchable ? `${w.kind}/${w.name}` : "";
  return JSON.stringify([
    w.serviceAccountName,
    w.images,
    w.imagePullSecrets.map((r) => r.name ?? ""),
    w.controlled,
    patchable,
  ]);
}

/**
 * Watches on workloads, ServiceAccounts, Namespaces, Regcred's secrets and secret_ref sources. Events are
 * filtered: a pass is asked for only when something the desired state depends on changed, and never for
 * Regcred's own writes. Known objects are seeded from each pass.
 */
export class WatchSet {
  private handles: WatchHandle[] = [];
  private sourceHandles = new Map<string, WatchHandle>();
  /** namespace → fingerprint → how many workloads have it */
  private counts = new Map<string, Map<string, number>>();
  private byKey = new Map<string, string>();
  private other = new Map<string, string>();
  private own = new Map<string, string | null>();
  private scope: Set<string> | null = null;
  private started = false;

  constructor(private readonly o: WatchSetOptions) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const kind of WORKLOAD_KINDS) this.watch(kind, {});
    this.watch("ServiceAccount", {});
    this.watch("Namespace", {});
    this.watch("Secret", { labelSelector: MANAGED_SELECTOR });
  }

  stop(): void {
    this.started = false;
    for (const h of [...this.handles, ...this.sourceHandles.values()]) h.stop();
    this.handles = [];
    this.sourceHandles.clear();
  }

  /** Watches exactly these source secrets (`namespace/name`), one field-selected watch each. */
  setSources(sources: readonly string[]): void {
    if (!this.started) return;
    for (const [key, h] of this.sourceHandles) {
      if (!sources.includes(key)) {
        h.stop();
        this.sourceHandles.delete(key);
      }
    }
    for (const key of sources) {
      if (this.sourceHandles.has(key)) continue;
      const [namespace, name] = key.split("/") as [string, string];
      const handle = this.o.client.watch(
        "Secret",
        { namespace, fieldSelector: `metadata.name=${name}` },
        {
          onEvent: () => this.o.onChange(`source secret ${key} changed`),
          onConnected: (gap) => gap && this.sourceHandles.has(key) && this.o.onChange(`watch on ${key} (re)started`),
          onError: (e, ms) => this.o.onError?.("Secret", e, ms),
        },
      );
      this.sourceHandles.set(key, handle);
    }
  }

  /** A write of Regcred's own: the watch event it causes (this key at this resourceVersion, or a deletion) is ignored. */
  noteWrite(key: string, resourceVersion: string | null): void {
    this.own.set(key, resourceVersion);
    if (this.own.size > 10_000) this.own.delete(this.own.keys().next().value!);
  }

  /** Replaces the known objects with what a pass read. */
  seed(state: ClusterState): void {
    this.counts.clear();
    this.byKey.clear();
    this.other.clear();
    this.scope = new Set(state.namespaces.map((ns) => ns.name));
    for (const w of state.workloads)
      this.add(`${w.kind}/${w.namespace}/${w.name}`, w.namespace, workloadFingerprint(w));
    for (const sa of state.serviceAccounts)
      this.other.set(`ServiceAccount/${sa.namespace}/${sa.name}`, JSON.stringify(sa.imagePullSecrets));
    for (const ns of state.namespaces) this.other.set(`Namespace/${ns.name}`, JSON.stringify([ns.labels, ns.phase]));
  }

  private watch(kind: WatchKind, opts: { labelSelector?: string }): void {
    const handle = this.o.client.watch(kind, opts, {
      onEvent: (e) => this.handle(e),
      // The first connection follows a full pass; later gaps (410 Gone, reconnect after an error) may hide events.
      onConnected: (gap) => gap && this.o.onChange(`${kind} watch resumed after a gap`),
      onError: (e, ms) => this.o.onError?.(kind, e, ms),
    });
    this.handles.push(handle);
  }

  private add(key: string, ns: string, fp: string): boolean {
    const prev = this.byKey.get(key);
    if (prev === fp) return false;
    let changed = prev !== undefined && this.remove(key, ns);
    this.byKey.set(key, fp);
    const counts = this.counts.get(ns) ?? new Map<string, number>();
    this.counts.set(ns, counts);
    const n = counts.get(fp) ?? 0;
    counts.set(fp, n + 1);
    changed ||= n === 0;
    return changed;
  }

  private remove(key: string, ns: string): boolean {
    const fp = this.byKey.get(key);
    if (fp === undefined) return false;
    this.byKey.delete(key);
    const counts = this.counts.get(ns);
    const n = counts?.get(fp) ?? 0;
    if (n <= 1) counts?.delete(fp);
    else counts?.set(fp, n - 1);
    return n <= 1;
  }

  private handle(e: WatchEvent): void {
    const meta = e.object.metadata ?? {};
    const ns = meta.namespace ?? "";
    const key = e.kind === "Namespace" ? `Namespace/${meta.name}` : `${e.kind}/${ns}/${meta.name}`;
    // Objects outside the namespaces in scope cannot change the desired state (a namespace itself can come into scope).
    if (e.kind !== "Namespace" && this.scope && !this.scope.has(ns)) return;
    let changed: boolean;
    if (e.kind === "Secret") changed = this.ownSecretChanged(`${ns}/${meta.name}`, e);
    else if (e.kind === "ServiceAccount" || e.kind === "Namespace") changed = this.otherChanged(key, e);
    else if (e.type === "DELETED") changed = this.remove(key, ns);
    else
      changed = this.add(
        key,
        ns,
        workloadFingerprint(extractWorkloadImages(toWorkload(e.kind as WorkloadKind, e.object))),
      );
    if (changed) this.o.onChange(`${e.kind} ${ns ? `${ns}/` : ""}${meta.name} ${e.type.toLowerCase()}`);
  }

  private ownSecretChanged(key: string, e: WatchEvent): boolean {
    if (!this.own.has(key)) return true;
    const rv = this.own.get(key);
    const ours = e.type === "DELETED" ? rv === null : rv === e.object.metadata?.resourceVersion;
    return !ours;
  }

  private otherChanged(key: string, e: WatchEvent): boolean {
    if (e.type === "DELETED") return this.other.delete(key);
    const o = e.object as {
      imagePullSecrets?: Array<{ name?: string }>;
      metadata?: { labels?: Record<string, string> };
      status?: { phase?: string };
    };
    const fp =
      e.kind === "Namespace"
        ? JSON.stringify([o.metadata?.labels ?? {}, o.status?.phase ?? null])
        : JSON.stringify((o.imagePullSecrets ?? []).map((r) => r.name ?? ""));
    if (this.other.get(key) === fp) return false;
    this.other.set(key, fp);
    return true;
  }
}

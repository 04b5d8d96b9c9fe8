import "server-only";
import { decideNamespace, type NamespaceScope } from "@/lib/clusters/scope";
import { DOCKERCONFIGJSON_TYPE } from "@/lib/images/dockerconfig";
import type {
  Informer,
  InformerEvent,
  KubeClient,
  KubeError,
  KubeNamespace,
  KubeSecret,
  KubeServiceAccount,
  WatchKind,
} from "@/lib/integrations/kube";
import { toNamespace, toSecret, toServiceAccount, toWorkload } from "@/lib/integrations/kube/mappers";
import { WORKLOAD_KINDS } from "@/lib/integrations/kube/resources";
import type { Workload, WorkloadKind } from "@/lib/integrations/kube/workloads";
import {
  EXPIRES_LABEL,
  INSTALLATION_LABEL,
  isManagedSecret,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  ORG_LABEL,
  parseExpiryLabel,
  REGISTRY_LABEL,
  SECRET_NAME_PREFIX,
} from "@/lib/sync/labels";
import { podPullStates } from "@/lib/sync/stuck-pods";
import { extractWorkloadImages, type WorkloadImages } from "@/lib/sync/workload-images";
import { ok } from "@/lib/result";
import type { ClusterReader, ClusterState } from "./observe";
import type { CachedContents } from "@/lib/sync/signal";

/** Every pull secret (Regcred's and others', so foreign `regcred-*` ones and secret_ref sources are seen). */
export const PULL_SECRET_FIELDS = `type=${DOCKERCONFIGJSON_TYPE}`;
/** Regcred's secrets of other types (secret_ref copies keep their source's type). */
export const OTHER_MANAGED = {
  labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`,
  fieldSelector: `type!=${DOCKERCONFIGJSON_TYPE}`,
};

/** Which namespaces an event concerns ("all": a secret_ref source changed, every namespace using it does). */
export type Touched = { namespaces: string[] } | "all";

export type ClusterCacheOptions = {
  client: KubeClient;
  scope: NamespaceScope;
  /** Something the desired state depends on changed (never called for this process's own writes). */
  onChange: (touched: Touched, reason: string) => void;
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

// The store keeps what sync reads: no labels or annotations of workloads (kubectl's last-applied copy can be large).
function slimWorkload(kind: WorkloadKind, raw: unknown): Workload {
  const w = toWorkload(kind, raw);
  const { labels: _l, annotations: _a, ...metadata } = w.metadata;
  if (w.kind === "Pod") return { ...w, metadata };
  if (w.kind === "CronJob") return { ...w, metadata };
  return { ...w, metadata, spec: { template: { spec: w.spec.template.spec } } };
}

const stuck = (w: Workload) => podPullStates([w]).length > 0;
const managedByRegcred = (s: KubeSecret | undefined) => s?.labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;

/**
 * List-watch caches of everything a pass reads from one cluster: Namespaces, the seven workload kinds,
 * ServiceAccounts and pull secrets. Started once per cluster and kept warm on every replica (a follower that
 * takes the lease over needs no re-list). Events are filtered down to the namespaces whose desired state they
 * can change; the manager's work queue reconciles only those, from this cache.
 */
export class ClusterCache {
  private readonly namespaces: Informer<KubeNamespace>;
  private readonly workloads: Map<WorkloadKind, Informer<Workload>>;
  private readonly serviceAccounts: Informer<KubeServiceAccount>;
  private readonly pullSecrets: Informer<KubeSecret>;
  private readonly otherSecrets: Informer<KubeSecret>;
  /** namespace → workload fingerprint → how many workloads have it */
  private readonly counts = new Map<string, Map<string, number>>();
  private sources = new Set<string>();
  private syncWaiters: Array<() => void> = [];

  constructor(private readonly o: ClusterCacheOptions) {
    const { client } = o;
    const onSynced = () => this.checkSynced();
    this.namespaces = client.informer(
      "Namespace",
      { map: (raw) => toNamespace(raw as never) },
      {
        onEvent: (e) => this.namespaceEvent(e),
        onSynced,
        onError: (err, ms) => o.onError?.("Namespace", err, ms),
      },
    );
    this.workloads = new Map(
      WORKLOAD_KINDS.map((kind) => [
        kind,
        client.informer<Workload>(
          kind,
          { map: (raw) => slimWorkload(kind, raw) },
          {
            onEvent: (e) => this.workloadEvent(e),
            onSynced,
            onError: (err, ms) => o.onError?.(kind, err, ms),
          },
        ),
      ]),
    );
    this.serviceAccounts = client.informer(
      "ServiceAccount",
      { map: (raw) => toServiceAccount(raw as never) },
      {
        onEvent: (e) => this.serviceAccountEvent(e),
        onSynced,
        onError: (err, ms) => o.onError?.("ServiceAccount", err, ms),
      },
    );
    const secretListener = {
      onEvent: (e: InformerEvent<KubeSecret>) => this.secretEvent(e),
      onSynced,
      onError: (err: KubeError, ms: number) => o.onError?.("Secret", err, ms),
    };
    this.pullSecrets = client.informer(
      "Secret",
      { fieldSelector: PULL_SECRET_FIELDS, map: (raw) => toSecret(raw as never) },
      secretListener,
    );
    this.otherSecrets = client.informer(
      "Secret",
      { ...OTHER_MANAGED, map: (raw) => toSecret(raw as never) },
      secretListener,
    );
  }

  private get informers(): Array<Informer<unknown>> {
    return [
      this.namespaces,
      ...this.workloads.values(),
      this.serviceAccounts,
      this.pullSecrets,
      this.otherSecrets,
    ] as Array<Informer<unknown>>;
  }

  stop(): void {
    for (const i of this.informers) i.stop();
    this.checkSynced(true);
  }

  /** Every collection has been listed once. */
  get synced(): boolean {
    return this.informers.every((i) => i.synced);
  }

  /** LISTs sent by this cache's informers so far (one per collection at start, plus one per 410 Gone). */
  get lists(): number {
    return this.informers.reduce((n, i) => n + i.lists, 0);
  }

  /** Why the cache is not synced: the first failing collection's last error (while it has no LIST). */
  firstError(): KubeError | null {
    for (const i of this.informers) if (!i.synced && i.lastError) return i.lastError;
    return null;
  }

  /** Resolves true once synced, false when `ms` pass first. */
  async whenSynced(ms: number): Promise<boolean> {
    if (this.synced) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let waiter: (() => void) | undefined;
    const synced = new Promise<boolean>((resolve) => this.syncWaiters.push((waiter = () => resolve(this.synced))));
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([synced, timeout]);
    } finally {
      clearTimeout(timer);
      // A pass that gave up waiting leaves no waiter behind (passes retry for as long as a cluster is down).
      this.syncWaiters = this.syncWaiters.filter((w) => w !== waiter);
    }
  }

  private checkSynced(force = false): void {
    if (!force && !this.synced) return;
    for (const w of this.syncWaiters.splice(0)) w();
  }

  /** secret_ref sources (`namespace/name`) a change of which touches every namespace. */
  setSources(sources: readonly string[]): void {
    this.sources = new Set(sources);
  }

  private inScope(namespace: KubeNamespace | undefined, scope: NamespaceScope = this.o.scope): boolean {
    return Boolean(namespace && namespace.phase !== "Terminating" && decideNamespace(scope, namespace).inScope);
  }

  /** A pass's reader over this cache: no API request, except a GET for a secret_ref source it does not hold. */
  reader(timeoutMs: number): ClusterReader {
    return {
      observe: async (scope, only) => {
        if (!(await this.whenSynced(timeoutMs))) {
          const error = this.firstError() ?? {
            kind: "unreachable" as const,
            message: `no complete answer within ${timeoutMs} ms`,
          };
          return { ok: false, step: "read the cluster", error };
        }
        // A watch that cannot reconnect means the cache may be stale: report the cluster as unreachable (and retry)
        // rather than act on, or call in step, what it last saw.
        const failing = this.informers.find((i) => i.lastError);
        if (failing) return { ok: false, step: "watch the cluster", error: failing.lastError! };
        return { ok: true, state: this.state(only, scope) };
      },
      namedSecrets: async (names, namespaces) => ({ ok: true, secrets: this.secretsNamed(names, namespaces) }),
      readSecret: async (namespace, name) => {
        const cached = this.secret(namespace, name);
        return cached ? ok(cached) : this.o.client.getSecret(namespace, name);
      },
    };
  }

  /** The cluster as a pass reads it, from the cache: every namespace in scope, or only those of `only`. */
  state(only?: ReadonlySet<string>, scope: NamespaceScope = this.o.scope): ClusterState {
    const namespaces = only ? [...only].flatMap((n) => this.namespaces.get(n) ?? []) : [...this.namespaces.values()];
    const inScope = namespaces.filter((ns) => this.inScope(ns, scope));
    const workloads: Workload[] = [];
    const serviceAccounts: KubeServiceAccount[] = [];
    const managed: KubeSecret[] = [];
    const versions = new Map<string, string | null>();
    for (const ns of inScope) {
      for (const informer of this.workloads.values()) workloads.push(...informer.inNamespace(ns.name));
      serviceAccounts.push(...this.serviceAccounts.inNamespace(ns.name));
      for (const s of [...this.pullSecrets.inNamespace(ns.name), ...this.otherSecrets.inNamespace(ns.name)])
        if (managedByRegcred(s)) managed.push(s);
    }
    for (const w of workloads)
      versions.set(`${w.kind}/${w.metadata.namespace}/${w.metadata.name}`, w.metadata.resourceVersion ?? null);
    for (const sa of serviceAccounts) versions.set(`ServiceAccount/${sa.namespace}/${sa.name}`, sa.resourceVersion);
    return {
      namespaces: inScope.sort((a, b) => a.name.localeCompare(b.name)),
      workloads: workloads.map(extractWorkloadImages),
      serviceAccounts,
      pods: podPullStates(workloads),
      managed,
      versions,
    };
  }

  /** A secret from the cache (pull secrets of any owner, Regcred's of other types); undefined when not cached. */
  secret(namespace: string, name: string): KubeSecret | undefined {
    const key = `${namespace}/${name}`;
    return this.pullSecrets.get(key) ?? this.otherSecrets.get(key);
  }

  /** Secrets with these names in these namespaces, whoever owns them (what a pass may touch or reference). */
  secretsNamed(names: Iterable<string>, namespaces: Iterable<string>): KubeSecret[] {
    const wanted = [...new Set(names)].filter((n) => n.startsWith(SECRET_NAME_PREFIX));
    const out: KubeSecret[] = [];
    for (const ns of namespaces)
      for (const name of wanted) {
        const s = this.secret(ns, name);
        if (s) out.push(s);
      }
    return out;
  }

  /**
   * Everything cached for the secrets view (pull secrets, Regcred's other secrets, ServiceAccounts, workloads);
   * null until synced and while a watch is failing (the view then reads the cluster itself and reports why).
   */
  contents(): CachedContents | null {
    if (!this.synced || this.informers.some((i) => i.lastError)) return null;
    return {
      namespaces: [...this.namespaces.values()],
      secrets: [...this.pullSecrets.values(), ...[...this.otherSecrets.values()].filter(isManagedSecret)],
      serviceAccounts: [...this.serviceAccounts.values()],
      workloads: [...this.workloads.values()].flatMap((i) => [...i.values()]),
    };
  }

  /**
   * The secrets one installation and org wrote in the cluster (its labels) and, per registry, the earliest expiry label
   * among them (ms); null until synced.
   */
  managedSummary(owner: {
    installation: string;
    orgId: string;
  }): { count: number; expiry: Map<string, number> } | null {
    if (!this.synced) return null;
    let count = 0;
    const expiry = new Map<string, number>();
    for (const informer of [this.pullSecrets, this.otherSecrets])
      for (const s of informer.values()) {
        if (!managedByRegcred(s) || s.labels[INSTALLATION_LABEL] !== owner.installation) continue;
        if (s.labels[ORG_LABEL] !== owner.orgId) continue;
        count++;
        const registry = s.labels[REGISTRY_LABEL];
        const at = parseExpiryLabel(s.labels[EXPIRES_LABEL] ?? "")?.getTime();
        if (registry && at !== undefined && at < (expiry.get(registry) ?? Infinity)) expiry.set(registry, at);
      }
    return { count, expiry };
  }

  /** A secret this process wrote (as the API answered) or deleted (null), recorded ahead of its watch event. */
  wroteSecret(namespace: string, name: string, written: KubeSecret | null): void {
    const key = `${namespace}/${name}`;
    if (written === null) {
      this.pullSecrets.forget(key);
      this.otherSecrets.forget(key);
      return;
    }
    const informer = written.type === DOCKERCONFIGJSON_TYPE ? this.pullSecrets : this.otherSecrets;
    informer.remember(key, namespace, written, written.resourceVersion);
  }

  /** A ServiceAccount this process patched, recorded ahead of its watch event. */
  wroteServiceAccount(sa: KubeServiceAccount): void {
    this.serviceAccounts.remember(`${sa.namespace}/${sa.name}`, sa.namespace, sa, sa.resourceVersion);
  }

  private touch(namespace: string, reason: string): void {
    if (!this.inScope(this.namespaces.get(namespace))) return;
    this.o.onChange({ namespaces: [namespace] }, reason);
  }

  /** The namespace has workloads or pull secrets: something a pass acts on. */
  private holds(namespace: string): boolean {
    return (
      this.counts.has(namespace) ||
      this.pullSecrets.inNamespace(namespace).length > 0 ||
      this.otherSecrets.inNamespace(namespace).length > 0
    );
  }

  private namespaceEvent(e: InformerEvent<KubeNamespace>): void {
    const before = e.previous;
    const now = e.type === "DELETED" ? undefined : e.object;
    const changed =
      this.inScope(before) !== this.inScope(now) ||
      JSON.stringify(before?.labels ?? null) !== JSON.stringify(now?.labels ?? null);
    // In or out of scope, or labels that desired state reads (environment labels): only that namespace, and only
    // when it holds something a pass acts on (a new, empty namespace waits for its first workload).
    const name = e.object.name;
    if (changed && this.holds(name))
      this.o.onChange({ namespaces: [name] }, `Namespace ${name} ${e.type.toLowerCase()}`);
  }

  private workloadEvent(e: InformerEvent<Workload>): void {
    const ns = e.namespace;
    const before = e.previous ? workloadFingerprint(extractWorkloadImages(e.previous)) : null;
    const after = e.type === "DELETED" ? null : workloadFingerprint(extractWorkloadImages(e.object));
    let changed = false;
    if (before !== after) {
      if (before !== null) changed = this.count(ns, before, -1) || changed;
      if (after !== null) changed = this.count(ns, after, +1) || changed;
    }
    // A Pod newly waiting on an image pull: a stuck pod may be restarted once its secret exists.
    if (e.object.kind === "Pod" && e.type !== "DELETED" && stuck(e.object) && !(e.previous && stuck(e.previous)))
      changed = true;
    if (changed) this.touch(ns, `${e.object.kind} ${e.key} ${e.type.toLowerCase()}`);
  }

  /** Adds or removes one workload's fingerprint; true when the namespace's set of fingerprints changed. */
  private count(ns: string, fp: string, delta: 1 | -1): boolean {
    let counts = this.counts.get(ns);
    if (!counts) this.counts.set(ns, (counts = new Map()));
    const n = (counts.get(fp) ?? 0) + delta;
    if (n <= 0) counts.delete(fp);
    else counts.set(fp, n);
    if (counts.size === 0) this.counts.delete(ns);
    return delta === 1 ? n === 1 : n <= 0;
  }

  private serviceAccountEvent(e: InformerEvent<KubeServiceAccount>): void {
    const before = JSON.stringify(e.previous?.imagePullSecrets ?? null);
    const after = JSON.stringify(e.type === "DELETED" ? null : e.object.imagePullSecrets);
    // A ServiceAccount in a namespace without workloads or pull secrets changes nothing a pass does.
    if (before !== after && this.holds(e.namespace))
      this.touch(e.namespace, `ServiceAccount ${e.key} ${e.type.toLowerCase()}`);
  }

  private secretEvent(e: InformerEvent<KubeSecret>): void {
    if (this.sources.has(e.key)) {
      this.o.onChange("all", `source secret ${e.key} ${e.type.toLowerCase()}`);
      return;
    }
    // Regcred's secrets changed by someone else (repaired), and secrets taking Regcred's names (conflicts).
    if (managedByRegcred(e.object) || managedByRegcred(e.previous) || e.object.name.startsWith(SECRET_NAME_PREFIX))
      this.touch(e.namespace, `Secret ${e.key} ${e.type.toLowerCase()}`);
  }
}

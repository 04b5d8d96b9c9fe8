// What the bench sees of the cluster: pull secrets and default ServiceAccounts, from its own watches (never polled),
// so "the secret exists" is timed at the moment the API server tells a watcher about it.
import type { KubeConfig } from "@kubernetes/client-node";
import { longWatch } from "./controller-bare";

type SecretSeen = { at: number; changedAt: number; rv: string };
type Waiter = {
  remaining: Set<string>;
  ok: (ns: string) => boolean;
  resolve: (at: number) => void;
  reject: (err: Error) => void;
};

const key = (ns: string, name: string) => `${ns}/${name}`;

export class ClusterView {
  private readonly secrets = new Map<string, SecretSeen>();
  /** namespace → pull secret names on its default ServiceAccount */
  private readonly wiring = new Map<string, Set<string>>();
  private waiters: Waiter[] = [];
  private aborts: AbortController[] = [];
  private closed = false;
  private failure: Error | null = null;

  constructor(private readonly kc: KubeConfig) {}

  /** Starts both watches (no resourceVersion: existing objects arrive as ADDED first). */
  async start(): Promise<void> {
    const watch = longWatch(this.kc);
    const go = (path: string, query: Record<string, string | number>, on: (type: string, obj: Obj) => void) =>
      watch
        .watch(path, { ...query, timeoutSeconds: 7_200, allowWatchBookmarks: false }, on, (err) => {
          if (!this.closed) this.fail(new Error(`the bench's watch of ${path} ended: ${String(err)}`));
        })
        .then((a) => this.aborts.push(a));
    await go("/api/v1/secrets", { fieldSelector: "type=kubernetes.io/dockerconfigjson" }, (type, s) =>
      this.onSecret(type, s),
    );
    await go("/api/v1/serviceaccounts", { fieldSelector: "metadata.name=default" }, (type, sa) =>
      this.onServiceAccount(type, sa),
    );
  }

  stop(): void {
    this.closed = true;
    for (const a of this.aborts) a.abort();
    this.aborts = [];
  }

  hasSecret(ns: string, name: string): boolean {
    return this.secrets.has(key(ns, name));
  }

  isWired(ns: string, name: string): boolean {
    return this.wiring.get(ns)?.has(name) ?? false;
  }

  /** When the secret was last added or changed (performance.now()), if it exists. */
  changedAt(ns: string, name: string): number | undefined {
    return this.secrets.get(key(ns, name))?.changedAt;
  }

  /** Resolves with the time (performance.now()) at which the last namespace met the condition. */
  whenAll(
    namespaces: readonly string[],
    ok: (ns: string) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<number> {
    const remaining = new Set(namespaces.filter((ns) => !ok(ns)));
    if (remaining.size === 0) return Promise.resolve(performance.now());
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (${remaining.size} left)`));
      }, timeoutMs);
      const waiter: Waiter = {
        remaining,
        ok,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      if (this.failure) return waiter.reject(this.failure);
      this.waiters.push(waiter);
    });
  }

  /** The secret exists in every namespace, and is on the default ServiceAccount of each when `wired`. */
  whenPresent(namespaces: readonly string[], name: string, wired: boolean, timeoutMs: number): Promise<number> {
    return this.whenAll(
      namespaces,
      (ns) => this.hasSecret(ns, name) && (!wired || this.isWired(ns, name)),
      timeoutMs,
      `${name}${wired ? " and its ServiceAccount wiring" : ""} in ${namespaces.length} namespace(s)`,
    );
  }

  private fail(err: Error): void {
    this.failure = err;
    for (const w of this.waiters.splice(0)) w.reject(err);
  }

  private event(ns: string): void {
    const at = performance.now();
    for (const w of this.waiters) {
      if (w.remaining.has(ns) && w.ok(ns)) w.remaining.delete(ns);
    }
    const done = this.waiters.filter((w) => w.remaining.size === 0);
    if (done.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.remaining.size > 0);
    for (const w of done) w.resolve(at);
  }

  private onSecret(type: string, s: Obj): void {
    const ns = s.metadata?.namespace ?? "";
    const k = key(ns, s.metadata?.name ?? "");
    const rv = s.metadata?.resourceVersion ?? "";
    const now = performance.now();
    if (type === "DELETED") this.secrets.delete(k);
    else if (type === "ADDED" || type === "MODIFIED") {
      const seen = this.secrets.get(k);
      if (!seen) this.secrets.set(k, { at: now, changedAt: now, rv });
      else if (seen.rv !== rv) this.secrets.set(k, { at: seen.at, changedAt: now, rv });
    } else return;
    this.event(ns);
  }

  private onServiceAccount(type: string, sa: Obj): void {
    const ns = sa.metadata?.namespace ?? "";
    if (type === "DELETED") this.wiring.delete(ns);
    else if (type === "ADDED" || type === "MODIFIED")
      this.wiring.set(ns, new Set((sa.imagePullSecrets ?? []).map((r) => r.name ?? "")));
    else return;
    this.event(ns);
  }
}

type Obj = {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  imagePullSecrets?: Array<{ name?: string }>;
};

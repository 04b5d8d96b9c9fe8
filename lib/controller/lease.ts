import "server-only";
import type { KubeClient, KubeError, KubeLease } from "@/lib/integrations/kube";
import { describeError, log } from "@/lib/log";

export { leaseNameFor } from "@/lib/sync/ownership";

/** The one Lease name releases before installation identities used, for every cluster and installation. */
export const LEGACY_LEASE_NAME = "regcred-controller";

export type LegacyLease = {
  name: string;
  /** True when that holder identity is an instance of this installation (an old replica in a rolling upgrade). */
  ours: (holder: string) => Promise<boolean>;
  /** Called when this instance takes the legacy Lease over (once per take-over). */
  onTaken?: () => void;
};

export type LeaseOptions = {
  client: KubeClient;
  namespace: string;
  /** `regcred-<installation>-<cluster id>` (leaseNameFor). */
  name: string;
  /**
   * The previous release's Lease: while one of this installation's old replicas holds it, this instance does not lead;
   * once it is free, the leader holds it too so that no old replica still running can lead beside it.
   */
  legacy?: LegacyLease;
  identity: string;
  durationMs: number;
  /** Wall clock in ms (leases compare renew times written by other instances). */
  now?: () => number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  onError?: (error: KubeError) => void;
};

/**
 * Leader election over one coordination.k8s.io Lease, as client-go does it: the holder renews every third of
 * the duration; another instance takes over once it has seen the same record unchanged for a full duration
 * (its own clock only, so clock skew between instances does not matter). Writes use the resourceVersion.
 */
export class LeaseElector {
  private leading = false;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastRenew = 0;
  private observed: { key: string; at: number } | null = null;
  private legacyObserved: { key: string; at: number } | null = null;
  private current: KubeLease | null = null;
  private readonly now: () => number;
  private running: Promise<void> | null = null;
  private errors = 0;
  lastError: KubeError | null = null;

  constructor(private readonly o: LeaseOptions) {
    this.now = o.now ?? Date.now;
  }

  /** True only while the last successful renewal is less than a lease duration old. */
  isLeader(): boolean {
    return this.leading && this.now() - this.lastRenew < this.o.durationMs;
  }

  holder(): string | null {
    return this.leading ? this.o.identity : (this.current?.holderIdentity ?? null);
  }

  start(): void {
    this.schedule(0);
  }

  /** Stops renewing; `release` hands the lease over at once (a crash, release=false, leaves it to expire). */
  async stop(opts: { release?: boolean } = {}): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (this.leading && opts.release !== false) await this.release();
    this.setLeading(false);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.cycle().finally(() => (this.running = null));
    }, ms);
    this.timer.unref?.();
  }

  private async cycle(): Promise<void> {
    const ok = await this.tryAcquireOrRenew().catch((err: unknown) => {
      log.warn("lease: could not take or renew", {
        lease: `${this.o.namespace}/${this.o.name}`,
        ...describeError(err),
      });
      return false;
    });
    if (this.stopped) return;
    if (ok) {
      this.lastRenew = this.now();
      this.setLeading(true);
    } else if (this.leading && this.now() - this.lastRenew >= (this.o.durationMs * 2) / 3) {
      this.setLeading(false);
    }
    this.errors = this.lastError ? this.errors + 1 : 0;
    const retry = Math.min(2_000, this.o.durationMs / 5);
    // An unreachable API server is retried with exponential backoff (up to 30 s), not hammered.
    const wait = this.leading
      ? this.o.durationMs / 3
      : this.errors > 0
        ? Math.min(30_000, retry * 2 ** Math.min(this.errors - 1, 5))
        : retry;
    this.schedule(wait);
  }

  private setLeading(value: boolean): void {
    if (this.leading === value) return;
    this.leading = value;
    if (value) this.o.onStartedLeading();
    else this.o.onStoppedLeading();
  }

  private fail(error: KubeError): false {
    this.lastError = error;
    this.o.onError?.(error);
    return false;
  }

  private record(start: number, transitions: number, resourceVersion?: string | null) {
    const now = new Date(this.now()).toISOString();
    const acquireTime =
      this.current?.holderIdentity === this.o.identity && this.current.acquireTime
        ? this.current.acquireTime
        : new Date(start).toISOString();
    return {
      namespace: this.o.namespace,
      name: this.o.name,
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.ceil(this.o.durationMs / 1000),
      acquireTime,
      renewTime: now,
      leaseTransitions: transitions,
      resourceVersion,
    };
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    if (!(await this.acquireOrRenewOwn())) return false;
    return this.o.legacy ? this.holdLegacy(this.o.legacy) : true;
  }

  /** Only the holder of its own Lease looks at the legacy one, so two new replicas never race for it. */
  private async holdLegacy(legacy: LegacyLease): Promise<boolean> {
    const now = this.now();
    const got = await this.o.client.getLease(this.o.namespace, legacy.name);
    if (!got.ok) return got.error.kind === "not-found" ? true : this.fail(got.error);
    const lease = got.value;
    const holder = lease.holderIdentity;
    const key = `${holder}|${lease.renewTime}|${lease.resourceVersion}`;
    if (this.legacyObserved?.key !== key) this.legacyObserved = { key, at: now };
    const mine = holder === this.o.identity;
    const live = Boolean(holder) && now - this.legacyObserved.at < (lease.leaseDurationSeconds ?? 0) * 1000;
    // Another installation's old replica (not recorded in this database): not ours to wait for or to take.
    if (!mine && holder && !(await legacy.ours(holder))) return true;
    if (!mine && live) return false;
    const record = {
      namespace: this.o.namespace,
      name: legacy.name,
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.ceil(this.o.durationMs / 1000),
    };
    const times = {
      acquireTime: mine && lease.acquireTime ? lease.acquireTime : new Date(now).toISOString(),
      renewTime: new Date(now).toISOString(),
    };
    const updated = await this.o.client.updateLease({
      ...record,
      ...times,
      leaseTransitions: mine ? lease.leaseTransitions : lease.leaseTransitions + 1,
      resourceVersion: lease.resourceVersion,
    });
    if (!updated.ok) return updated.error.kind === "conflict" ? false : this.fail(updated.error);
    if (!mine) legacy.onTaken?.();
    return true;
  }

  private async acquireOrRenewOwn(): Promise<boolean> {
    this.lastError = null;
    const now = this.now();
    const got = await this.o.client.getLease(this.o.namespace, this.o.name);
    if (!got.ok && got.error.kind !== "not-found") return this.fail(got.error);
    if (!got.ok) {
      this.current = null;
      const created = await this.o.client.createLease(this.record(now, 0));
      if (!created.ok) return created.error.kind === "conflict" ? false : this.fail(created.error);
      this.current = created.value;
      this.lastError = null;
      return true;
    }
    const lease = got.value;
    this.current = lease;
    const key = `${lease.holderIdentity}|${lease.renewTime}|${lease.resourceVersion}`;
    if (this.observed?.key !== key) this.observed = { key, at: now };
    const mine = lease.holderIdentity === this.o.identity;
    const durationMs = (lease.leaseDurationSeconds ?? 0) * 1000;
    const free = !lease.holderIdentity || now - this.observed.at >= durationMs;
    if (!mine && !free) return false;
    const transitions = mine ? lease.leaseTransitions : lease.leaseTransitions + 1;
    const updated = await this.o.client.updateLease(this.record(now, transitions, lease.resourceVersion));
    if (!updated.ok) return updated.error.kind === "conflict" ? false : this.fail(updated.error);
    this.current = updated.value;
    this.lastError = null;
    return true;
  }

  private async release(): Promise<void> {
    const lease = this.current;
    if (!lease || lease.holderIdentity !== this.o.identity) return;
    const now = new Date(this.now()).toISOString();
    await this.o.client.updateLease({ ...lease, holderIdentity: null, leaseDurationSeconds: 1, renewTime: now });
    if (!this.o.legacy) return;
    const legacy = await this.o.client.getLease(this.o.namespace, this.o.legacy.name);
    if (legacy.ok && legacy.value.holderIdentity === this.o.identity)
      await this.o.client.updateLease({
        ...legacy.value,
        holderIdentity: null,
        leaseDurationSeconds: 1,
        renewTime: now,
      });
  }
}

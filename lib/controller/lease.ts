import "server-only";
import type { KubeClient, KubeError, KubeLease } from "@/lib/integrations/kube";

export const LEASE_NAME = "regcred-controller";

export type LeaseOptions = {
  client: KubeClient;
  namespace: string;
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
    const ok = await this.tryAcquireOrRenew().catch(() => false);
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
    const wait = this.leading ? this.o.durationMs / 3 : this.errors > 0 ? Math.min(30_000, retry * 2 ** Math.min(this.errors - 1, 5)) : retry;
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
    const acquireTime = this.current?.holderIdentity === this.o.identity && this.current.acquireTime ? this.current.acquireTime : new Date(start).toISOString();
    return { namespace: this.o.namespace, name: LEASE_NAME, holderIdentity: this.o.identity, leaseDurationSeconds: Math.ceil(this.o.durationMs / 1000), acquireTime, renewTime: now, leaseTransitions: transitions, resourceVersion };
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    this.lastError = null;
    const now = this.now();
    const got = await this.o.client.getLease(this.o.namespace, LEASE_NAME);
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
  }
}

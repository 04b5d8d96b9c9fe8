import "server-only";
import { homeNamespaceOf } from "@/lib/clusters/client";
import { type ClusterRow, findClusterRow } from "@/lib/clusters/repo";
import { describeError, log } from "@/lib/log";
import type { Rng } from "@/lib/sync/schedule";
import { LEGACY_LEASE_NAME, LeaseElector, leaseNameFor } from "./lease";
import { auditLeaseAdoption } from "./ownership";
import { PassSchedule } from "./pass-schedule";
import { reconcileCluster, type ReconcileResult } from "./reconcile";
import * as repo from "@/lib/sync/repo";
import { type Clock, type ManagerOptions, type ManagerStatus, systemClock } from "./types";
import { WatchSet } from "./watch-set";

export { type Clock, type ManagerOptions, type ManagerStatus, systemClock } from "./types";

const MAX_DEBOUNCE_MS = 2_000;

/** Keeps one cluster in step: lease, watches, debounced passes, periodic resync, credential refresh and retries. */
export class ClusterManager {
  private cluster: ClusterRow;
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly elector: LeaseElector | null;
  private readonly watches: WatchSet;
  private leading = false;
  private stopped = false;
  private tickTimer: ReturnType<typeof setTimeout> | null = null;
  private debounce: { timer: ReturnType<typeof setTimeout>; since: number } | null = null;
  private pending: repo.SyncTrigger | null = null;
  private inflight: Promise<void> | null = null;
  private readonly schedule: PassSchedule;
  private leaseReported: string | null = null;
  private passes = 0;
  private last: ReconcileResult | null = null;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly o: ManagerOptions) {
    this.cluster = o.cluster;
    this.clock = o.clock ?? systemClock;
    this.rng = o.rng ?? Math.random;
    this.schedule = new PassSchedule(o.resyncMs, this.rng);
    this.watches = new WatchSet({
      client: o.client,
      onChange: (reason) => this.request("watch", reason),
      onError: (kind, e, ms) =>
        log.debug("watch interrupted", { cluster: this.cluster.id, kind, error: e.message, retryInMs: ms }),
    });
    this.elector =
      o.leases === false
        ? null
        : new LeaseElector({
            client: o.client,
            namespace: homeNamespaceOf(o.cluster),
            name: leaseNameFor(o.installation, o.cluster.id),
            legacy: {
              name: LEGACY_LEASE_NAME,
              ours: (holder) => repo.isKnownLeaseHolder(o.db, holder),
              onTaken: () => void auditLeaseAdoption(o.db, o.cluster, o.installation, o.instanceId),
            },
            identity: o.instanceId,
            durationMs: o.leaseDurationMs,
            onStartedLeading: () => this.setLeading(true),
            onStoppedLeading: () => this.setLeading(false),
            onError: (e) => void this.leaseProblem(e.message),
          });
  }

  get clusterId(): string {
    return this.cluster.id;
  }

  get orgId(): string {
    return this.cluster.orgId;
  }

  /** Why this instance cannot take the cluster's lease (unreachable, forbidden), when it cannot. */
  leaseError(): string | null {
    const e = this.elector?.lastError;
    return e && !this.leading
      ? `cannot take the lease in namespace ${homeNamespaceOf(this.cluster)}: ${e.message}`
      : null;
  }

  start(): void {
    if (this.elector) this.elector.start();
    else this.setLeading(true);
    this.tick();
  }

  /** Stops after the running pass; `release: false` behaves like a crash (the lease is left to expire). */
  async stop(opts: { release?: boolean } = {}): Promise<void> {
    this.stopped = true;
    if (this.tickTimer) clearTimeout(this.tickTimer);
    if (this.debounce) clearTimeout(this.debounce.timer);
    this.debounce = null;
    this.watches.stop();
    await this.inflight;
    await this.elector?.stop(opts);
    this.leading = false;
    this.notifyIdle();
  }

  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : this.leading;
  }

  status(): ManagerStatus {
    return {
      clusterId: this.cluster.id,
      leading: this.isLeader(),
      holder: this.elector ? this.elector.holder() : this.o.instanceId,
      running: this.inflight !== null,
      passes: this.passes,
      nextResyncAt: this.schedule.nextResyncAt,
      nextRefreshAt: this.schedule.nextRefreshAt,
      retryAt: this.schedule.retryAt,
      failures: this.schedule.failures,
      last: this.last,
    };
  }

  /** Asks for a pass (debounced); ignored unless this instance leads. */
  request(trigger: repo.SyncTrigger, reason: string = trigger): void {
    if (this.stopped || !this.isLeader()) return;
    log.debug("sync requested", { cluster: this.cluster.id, trigger, reason });
    if (this.inflight) {
      this.pending ??= trigger;
      return;
    }
    const now = Date.now();
    if (this.debounce) {
      if (now - this.debounce.since < MAX_DEBOUNCE_MS) {
        clearTimeout(this.debounce.timer);
        this.debounce.timer = setTimeout(() => this.startPass(trigger), this.o.debounceMs ?? 250);
      }
      return;
    }
    this.debounce = {
      since: now,
      timer: setTimeout(() => this.startPass(trigger), trigger === "watch" ? (this.o.debounceMs ?? 250) : 0),
    };
  }

  /** Resolves once no pass is running or waiting. */
  async idle(): Promise<void> {
    if (!this.inflight && !this.debounce && !this.pending) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private setLeading(value: boolean): void {
    if (this.leading === value) return;
    this.leading = value;
    log.info(value ? "leading cluster" : "stopped leading cluster", {
      cluster: this.cluster.id,
      instance: this.o.instanceId,
    });
    if (value) {
      this.leaseReported = null;
      this.watches.start();
      // Passes a previous holder left "running" will never finish: only the holder runs passes.
      const takeOver = async () => {
        await repo.ensureClusterSync(this.o.db, this.cluster);
        await repo.updateClusterSync(this.o.db, this.cluster.id, { leaseHolder: this.o.instanceId });
        await repo.failStaleRuns(this.o.db, this.cluster.id, new Date());
      };
      void takeOver()
        .catch((err) =>
          log.warn("could not record the lease holder", { cluster: this.cluster.id, ...describeError(err) }),
        )
        .finally(() => this.request("startup"));
    } else {
      this.watches.stop();
      if (this.debounce) clearTimeout(this.debounce.timer);
      this.debounce = null;
      this.pending = null;
      this.notifyIdle();
    }
  }

  private async leaseProblem(message: string): Promise<void> {
    if (this.leading || this.leaseReported === message) return;
    this.leaseReported = message;
    const error = `cannot take the lease in namespace ${homeNamespaceOf(this.cluster)}: ${message}`;
    try {
      await repo.ensureClusterSync(this.o.db, this.cluster);
      await repo.updateClusterSync(this.o.db, this.cluster.id, { lastStatus: "failed", lastError: error });
    } catch (err) {
      // Not recorded: the next lease error tries again.
      this.leaseReported = null;
      log.error("could not record why the lease cannot be taken", { cluster: this.cluster.id, ...describeError(err) });
    }
  }

  private tick(): void {
    if (this.stopped) return;
    this.tickTimer = setTimeout(() => {
      this.checkDue();
      this.tick();
    }, this.o.tickMs ?? 1_000);
    this.tickTimer.unref?.();
  }

  private checkDue(): void {
    if (!this.isLeader() || this.inflight || this.debounce) return;
    const due = this.schedule.due(this.clock.now());
    if (due) this.request(due);
  }

  private startPass(trigger: repo.SyncTrigger): void {
    this.debounce = null;
    if (this.stopped || !this.isLeader()) return this.notifyIdle();
    this.inflight = this.pass(trigger).finally(() => {
      this.inflight = null;
      const next = this.pending;
      this.pending = null;
      if (next && !this.stopped) this.request(next);
      else this.notifyIdle();
    });
  }

  private notifyIdle(): void {
    if (this.inflight || this.debounce || this.pending) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async pass(trigger: repo.SyncTrigger): Promise<void> {
    const started = performance.now();
    try {
      const fresh = await findClusterRow(this.o.db, this.cluster.orgId, this.cluster.id);
      if (!fresh) return;
      this.cluster = fresh;
      const queued = await repo.queuedRuns(this.o.db, fresh.id);
      const result = await reconcileCluster(
        {
          db: this.o.db,
          keyring: this.o.keyring,
          client: this.o.client,
          now: this.clock.now,
          gracePeriodMs: this.o.gracePeriodMs,
          timeoutMs: this.o.timeoutMs,
          ecrEndpoint: this.o.ecrEndpoint,
          instanceId: this.o.instanceId,
          mayWrite: () => this.isLeader(),
          onWrite: (key, rv) => this.watches.noteWrite(key, rv),
          concurrency: this.o.concurrency,
        },
        fresh,
        { trigger: queued[0]?.trigger ?? trigger, runIds: queued.map((r) => r.id) },
      );
      this.passes += 1;
      this.last = result;
      log.debug("sync pass finished", {
        cluster: fresh.id,
        trigger,
        status: result.status,
        ms: Math.round(performance.now() - started),
        namespaces: result.namespaces.length,
        ...result.summary,
      });
      await this.afterPass(result);
      await this.o
        .onPass?.(fresh)
        .catch((err: unknown) => log.error("after-pass hook failed", { cluster: fresh.id, ...describeError(err) }));
    } catch (err) {
      log.error("sync pass failed", { cluster: this.cluster.id, ...describeError(err) });
      this.schedule.afterError(this.clock.now());
    }
  }

  private async afterPass(result: ReconcileResult): Promise<void> {
    if (result.observed) {
      this.watches.seed(result.observed);
      this.watches.setSources(result.sources);
    }
    const issues = this.schedule.afterPass({ ...result, managed: result.observed?.managed ?? [] }, this.clock.now());
    if (issues) await repo.setCredentialIssues(this.o.db, this.cluster.id, issues);
    else
      log.warn("cluster unreachable", {
        cluster: this.cluster.id,
        error: result.error,
        retryAt: this.schedule.retryAt?.toISOString(),
      });
  }
}

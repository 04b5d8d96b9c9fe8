import "server-only";
import { homeNamespaceOf } from "@/lib/clusters/client";
import { type ClusterRow, findClusterRow, scopeOf } from "@/lib/clusters/repo";
import { describeError, log } from "@/lib/log";
import type { Rng } from "@/lib/sync/schedule";
import { LEGACY_LEASE_NAME, LeaseElector, leaseNameFor } from "./lease";
import { auditLeaseAdoption } from "./ownership";
import { PassSchedule } from "./pass-schedule";
import { reconcileCluster, type ReconcileResult } from "./reconcile";
import * as repo from "@/lib/sync/repo";
import { type Clock, type ManagerOptions, type ManagerStatus, systemClock } from "./types";
import type { OwnWrite } from "./apply";
import { ClusterCache, type Touched } from "./cache";
import { WorkQueue } from "./work-queue";
import { type ManagerGauges, recordPass } from "@/lib/metrics";

export { type Clock, type ManagerOptions, type ManagerStatus, systemClock } from "./types";

/** How long events are gathered before a pass over the namespaces they touched starts. */
const DEFAULT_BATCH_MS = 5;

/**
 * Keeps one cluster in step: lease, watch-fed cache, a work queue of namespaces touched by events, full passes
 * (start, "Sync now", registry changes, periodic resync, credential refresh, retries), all read from the cache.
 */
export class ClusterManager {
  private cluster: ClusterRow;
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly elector: LeaseElector | null;
  private cache: ClusterCache | null = null;
  private readonly queue: WorkQueue;
  private leading = false;
  private stopped = false;
  private tickTimer: ReturnType<typeof setTimeout> | null = null;
  /** A pass is scheduled to start. */
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** A full pass is due, and why. */
  private full: repo.SyncTrigger | null = null;
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
    this.queue = new WorkQueue(() => this.schedulePass(o.debounceMs ?? DEFAULT_BATCH_MS), this.rng);
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

  /** The watch-fed cache of this cluster (kept on every replica, leading or not); null before start. */
  clusterCache(): ClusterCache | null {
    return this.cache;
  }

  start(): void {
    this.cache = new ClusterCache({
      client: this.o.client,
      scope: scopeOf(this.cluster),
      onChange: (touched, reason) => this.changed(touched, reason),
      onError: (kind, e, ms) =>
        log.debug("watch interrupted", { cluster: this.cluster.id, kind, error: e.message, retryInMs: ms }),
    });
    if (this.elector) this.elector.start();
    else this.setLeading(true);
    this.tick();
  }

  /** Stops the running pass before its next write, then releases the Lease; `release: false` behaves like a crash (the lease is left to expire). */
  async stop(opts: { release?: boolean } = {}): Promise<void> {
    this.stopped = true;
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.cancelScheduled();
    this.cache?.stop();
    await this.inflight;
    await this.elector?.stop(opts);
    this.leading = false;
    this.notifyIdle();
  }

  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : this.leading;
  }

  metricsGauges(): ManagerGauges {
    return {
      clusterId: this.cluster.id,
      leading: this.isLeader(),
      queued: this.queue.size,
      managed: this.cache?.managedSummary({ installation: this.o.installation, orgId: this.cluster.orgId }) ?? null,
    };
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

  /** Asks for a full pass over every namespace in scope; ignored unless this instance leads. */
  request(trigger: repo.SyncTrigger, reason: string = trigger): void {
    if (this.stopped || !this.isLeader()) return;
    log.debug("sync requested", { cluster: this.cluster.id, trigger, reason });
    this.full ??= trigger;
    this.schedulePass(trigger === "watch" ? (this.o.debounceMs ?? DEFAULT_BATCH_MS) : 0);
  }

  /** Resolves once no pass is running or waiting. */
  async idle(): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return !this.inflight && !this.timer && !this.full && this.queue.size === 0;
  }

  /** A watch event changed something the desired state reads: queue the namespaces it touched. */
  private changed(touched: Touched, reason: string): void {
    if (this.stopped || !this.isLeader()) return;
    if (touched === "all") return this.request("watch", reason);
    // A full pass is due anyway and will read these namespaces from the cache.
    if (this.full && !this.inflight) return;
    log.debug("namespaces queued", { cluster: this.cluster.id, namespaces: touched.namespaces, reason });
    for (const ns of touched.namespaces) this.queue.add(ns);
  }

  /** Starts the next pass after `delayMs`, unless one is running (it schedules the next when it ends) or due sooner. */
  private schedulePass(delayMs: number): void {
    if (this.stopped || this.inflight) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => this.startPass(), delayMs);
  }

  private cancelScheduled(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.full = null;
    this.queue.clear();
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
      this.cancelScheduled();
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
    if (!this.isLeader() || this.inflight || this.full) return;
    const due = this.schedule.due(this.clock.now());
    if (due) this.request(due);
  }

  /** Runs a full pass when one is due (it covers every queued namespace), else one over the queued namespaces. */
  private startPass(): void {
    this.timer = null;
    if (this.stopped || !this.isLeader()) return this.notifyIdle();
    const full = this.full;
    this.full = null;
    const keys = this.queue.take();
    if (!full && keys.length === 0) return this.notifyIdle();
    this.inflight = this.pass(full ?? "watch", full ? null : new Set(keys)).finally(() => {
      this.inflight = null;
      if (this.stopped) return this.notifyIdle();
      if (this.full) this.schedulePass(0);
      else if (this.queue.size > 0) this.schedulePass(this.o.debounceMs ?? DEFAULT_BATCH_MS);
      else this.notifyIdle();
    });
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private ownWrite(w: OwnWrite): void {
    if (w.kind === "Secret") this.cache?.wroteSecret(w.namespace, w.name, w.secret);
    else this.cache?.wroteServiceAccount(w.serviceAccount);
  }

  private async pass(trigger: repo.SyncTrigger, only: ReadonlySet<string> | null): Promise<void> {
    const started = performance.now();
    try {
      // A full pass re-reads the cluster's row; a pass over a few namespaces uses the one the controller's scan keeps current.
      const fresh = only ? this.cluster : await findClusterRow(this.o.db, this.cluster.orgId, this.cluster.id);
      if (!fresh) return;
      this.cluster = fresh;
      const queued = only ? [] : await repo.queuedRuns(this.o.db, fresh.id);
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
          // A stop ends the running pass before its next write: the safe point, so the Lease can be released at once.
          mayWrite: () => !this.stopped && this.isLeader(),
          onWrite: (w) => this.ownWrite(w),
          concurrency: this.o.concurrency,
          reader: this.cache?.reader(this.o.timeoutMs),
        },
        fresh,
        { trigger: queued[0]?.trigger ?? trigger, runIds: queued.map((r) => r.id), only: only ?? undefined },
      );
      this.passes += 1;
      this.last = result;
      recordPass(fresh.id, trigger, result.status, (performance.now() - started) / 1000, result.summary);
      log.debug("sync pass finished", {
        cluster: fresh.id,
        trigger,
        status: result.status,
        ms: Math.round(performance.now() - started),
        namespaces: result.namespaces.length,
        ...(only ? { only: only.size } : {}),
        ...result.summary,
      });
      if (only) {
        this.o.onNamespacePass?.(fresh, { now: this.clock.now, ecrEndpoint: this.o.ecrEndpoint });
        return this.afterNamespacePass(only, result);
      }
      await this.afterPass(result);
      await this.o
        .onPass?.(fresh, { now: this.clock.now, ecrEndpoint: this.o.ecrEndpoint })
        .catch((err: unknown) => log.error("after-pass hook failed", { cluster: fresh.id, ...describeError(err) }));
    } catch (err) {
      log.error("sync pass failed", { cluster: this.cluster.id, ...describeError(err) });
      recordPass(this.cluster.id, trigger, "error", (performance.now() - started) / 1000);
      if (only) for (const ns of only) this.queue.retryLater(ns);
      else this.schedule.afterError(this.clock.now());
    }
  }

  /** After a conflict or an outage the namespaces come back after their backoff; otherwise they start afresh. */
  private afterNamespacePass(only: ReadonlySet<string>, result: ReconcileResult): void {
    for (const ns of only) {
      if (result.unreachable || result.retry) this.queue.retryLater(ns);
      else this.queue.forget(ns);
    }
  }

  private async afterPass(result: ReconcileResult): Promise<void> {
    this.cache?.setSources(result.sources);
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

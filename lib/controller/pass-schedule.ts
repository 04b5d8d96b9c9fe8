import type { CredentialIssue } from "@/db/schema/sync";
import { backoffDelay, type Rng } from "@/lib/sync/schedule";
import {
  type CredentialFailure,
  currentExpiry,
  type Expiring,
  planFailures,
  scheduleRefresh,
  type TokenSeen,
} from "./refresh";

/** What the schedule needs from a finished pass (a subset of ReconcileResult). */
export type PassOutcome = {
  unreachable: boolean;
  retry: boolean;
  expiring: readonly Expiring[];
  unavailable: ReadonlyArray<{ registryId: string; reason: string }>;
  managed: ReadonlyArray<{ labels: Readonly<Record<string, string>> }>;
};
export type DueTrigger = "retry" | "refresh" | "resync";

/** When the next resync, refresh and retry are due for one cluster, from the outcomes of its passes (pure; `now` is passed in). */
export class PassSchedule {
  nextResyncAt: Date | null = null;
  nextRefreshAt: Date | null = null;
  retryAt: Date | null = null;
  private seen = new Map<string, TokenSeen>();
  private failed = new Map<string, CredentialFailure>();
  private unreachableAttempts = 0;
  private writeAttempts = 0;

  constructor(
    private readonly resyncMs: number,
    private readonly rng: Rng,
  ) {}

  get failures(): CredentialFailure[] {
    return [...this.failed.values()];
  }

  due(now: Date): DueTrigger | null {
    const at = (d: Date | null) => d !== null && now >= d;
    if (at(this.retryAt)) return "retry";
    if (at(this.nextRefreshAt)) return "refresh";
    return at(this.nextResyncAt) ? "resync" : null;
  }

  /** A pass that threw (a database error, a bug): retried with backoff. */
  afterError(now: Date): void {
    this.retryAt = new Date(now.getTime() + backoffDelay(this.unreachableAttempts++, this.rng));
  }

  /** Records a pass; returns the credential issues to show, or null when the cluster could not be read. */
  afterPass(o: PassOutcome, now: Date): CredentialIssue[] | null {
    this.nextResyncAt = new Date(now.getTime() + this.resyncMs);
    if (o.unreachable) {
      this.afterError(now);
      return null;
    }
    this.unreachableAttempts = 0;
    this.nextRefreshAt = scheduleRefresh(this.seen, o.expiring, now, this.rng);
    // Only registries some namespace uses are resolved, so every unavailable one is a failed refresh.
    this.failed = planFailures(this.failed, o.unavailable, (id) => currentExpiry(o.managed, id), now, this.rng);
    const retries = this.failures.map((f) => f.retryAt.getTime());
    if (o.retry) retries.push(now.getTime() + backoffDelay(this.writeAttempts++, this.rng));
    else this.writeAttempts = 0;
    this.retryAt = retries.length > 0 ? new Date(Math.min(...retries)) : null;
    return this.failures.map((f) => ({
      registryId: f.registryId,
      reason: f.reason,
      attempt: f.attempt,
      retryAt: f.retryAt.toISOString(),
      keepUntil: f.keepUntil?.toISOString() ?? null,
    }));
  }
}

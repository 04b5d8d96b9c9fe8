/** A random source in [0, 1), such as Math.random; injected so schedules are testable. */
export type Rng = () => number;

export const REFRESH_FRACTION = 0.75;
export const REFRESH_JITTER_FRACTION = 0.05;
export const EXPIRY_SAFETY_MS = 5 * 60_000;
export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

const unit = (rng: Rng) => Math.min(Math.max(rng(), 0), 1 - Number.EPSILON);

/**
 * When to refresh a credential: 75% ± 5% of its real lifetime after issue, never later than 5 minutes
 * (or a quarter of the lifetime, if shorter) before it expires, never before it was issued.
 */
export function nextRefreshAt(issuedAt: Date, expiresAt: Date, rng: Rng): Date {
  const issued = issuedAt.getTime();
  const lifetime = expiresAt.getTime() - issued;
  if (lifetime <= 0) return new Date(issued);
  const fraction = REFRESH_FRACTION + (unit(rng) * 2 - 1) * REFRESH_JITTER_FRACTION;
  const latest = expiresAt.getTime() - Math.min(EXPIRY_SAFETY_MS, lifetime * (1 - REFRESH_FRACTION));
  return new Date(Math.max(issued, Math.min(issued + lifetime * fraction, latest)));
}

/** Delay before retry number `attempt` (0 for the first retry): full jitter over min(5 min, 5 s × 2^attempt). */
export function backoffDelay(attempt: number, rng: Rng): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.floor(attempt)));
  return Math.floor(unit(rng) * ceiling);
}

/** Whether a secret expiring at `secretExpiry` is due: 75% of a `lifetimeMs` credential has passed. Non-expiring secrets never are. */
export function shouldRefresh(secretExpiry: Date | null, now: Date, lifetimeMs: number): boolean {
  if (secretExpiry === null) return false;
  const remainingAtRefresh = Math.max(0, lifetimeMs) * (1 - REFRESH_FRACTION);
  return now.getTime() >= secretExpiry.getTime() - remainingAtRefresh;
}

export type RefreshFailurePlan = {
  /** Keep the secret already in the cluster: it is still valid (or never expires). */
  keepExisting: boolean;
  /** Until when the existing secret still works; null when it has no expiry. */
  keepUntil: Date | null;
  retryAt: Date;
};

/** After a failed refresh: retry with backoff, and keep the old secret until it truly expires. */
export function planRefreshFailure(input: {
  attempt: number;
  now: Date;
  currentExpiry: Date | null;
  rng: Rng;
}): RefreshFailurePlan {
  const { attempt, now, currentExpiry, rng } = input;
  const keepExisting = currentExpiry === null || currentExpiry.getTime() > now.getTime();
  const retryAt = new Date(now.getTime() + backoffDelay(attempt, rng));
  return { keepExisting, keepUntil: keepExisting ? currentExpiry : null, retryAt };
}

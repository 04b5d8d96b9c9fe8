import type { KubeLabels } from "@/lib/integrations/kube/workloads";
import { EXPIRES_LABEL, parseExpiryLabel, REGISTRY_LABEL } from "@/lib/sync/labels";
import { nextRefreshAt, planRefreshFailure, REFRESH_FRACTION, type Rng } from "@/lib/sync/schedule";

/** When a credential with this expiry was first seen (its issue time, as far as this instance knows). */
export type TokenSeen = { expiresAt: number; issuedAt: number };
export type Expiring = { registryId: string; expiresAt: Date };
export type CredentialFailure = {
  registryId: string;
  reason: string;
  attempt: number;
  retryAt: Date;
  keepUntil: Date | null;
};

/** Never schedule a refresh sooner than this after a pass (a credential the cache keeps a little longer must not spin). */
export const MIN_REFRESH_DELAY_MS = 30_000;

/**
 * Records the expiring credentials a pass used and returns when the next refresh is due: about 75% of each
 * credential's lifetime with jitter, never before the shared token cache would mint anew (75%), never for
 * credentials that are already expired (a resync re-checks those).
 */
export function scheduleRefresh(
  seen: Map<string, TokenSeen>,
  expiring: readonly Expiring[],
  now: Date,
  rng: Rng,
): Date | null {
  const t = now.getTime();
  const ids = new Set(expiring.map((e) => e.registryId));
  for (const id of [...seen.keys()]) if (!ids.has(id)) seen.delete(id);
  let next: number | null = null;
  for (const { registryId, expiresAt } of expiring) {
    const exp = expiresAt.getTime();
    const prev = seen.get(registryId);
    const issuedAt = prev && prev.expiresAt === exp ? prev.issuedAt : t;
    seen.set(registryId, { expiresAt: exp, issuedAt });
    if (exp <= t) continue;
    const jittered = nextRefreshAt(new Date(issuedAt), expiresAt, rng).getTime();
    const at = Math.max(jittered, issuedAt + (exp - issuedAt) * REFRESH_FRACTION, t + MIN_REFRESH_DELAY_MS);
    next = next === null ? at : Math.min(next, at);
  }
  return next === null ? null : new Date(next);
}

/** The earliest expiry label among a registry's secrets (what keeps working while a refresh fails). */
export function currentExpiry(secrets: ReadonlyArray<{ labels: KubeLabels }>, registryId: string): Date | null {
  let min: Date | null = null;
  for (const s of secrets) {
    if (s.labels[REGISTRY_LABEL] !== registryId) continue;
    const d = parseExpiryLabel(s.labels[EXPIRES_LABEL] ?? "");
    if (d && (!min || d < min)) min = d;
  }
  return min;
}

/** Failed credentials after a pass: retried with exponential backoff; recovered ones are dropped. */
export function planFailures(
  prev: ReadonlyMap<string, CredentialFailure>,
  unavailable: ReadonlyArray<{ registryId: string; reason: string }>,
  expiryOf: (registryId: string) => Date | null,
  now: Date,
  rng: Rng,
): Map<string, CredentialFailure> {
  const next = new Map<string, CredentialFailure>();
  for (const { registryId, reason } of unavailable) {
    const attempt = (prev.get(registryId)?.attempt ?? -1) + 1;
    const plan = planRefreshFailure({ attempt, now, currentExpiry: expiryOf(registryId), rng });
    next.set(registryId, { registryId, reason, attempt, retryAt: plan.retryAt, keepUntil: plan.keepUntil });
  }
  return next;
}

import type { RegistryType } from "../registries/schema";
import { formatDuration } from "../time";
import type { SecretStatus } from "./schema";

/** Less than this left is always "expiring soon". */
export const EXPIRING_SOON_MS = 60 * 60_000;
/** Less than this share of the lifetime left is "expiring soon": the sync refreshes at 75%, so a secret past it is overdue. */
export const EXPIRING_SOON_FRACTION = 0.25;
/** Credential lifetimes known from the registry type (ECR GetAuthorizationToken: 12 h). */
export const KNOWN_LIFETIME_MS: Partial<Record<RegistryType, number>> = { amazon_ecr: 12 * 3_600_000 };

export type StatusInput = {
  managed: boolean;
  registryId: string | null;
  /** The type of the org's registry with that id; null when the org has none. */
  registryType: RegistryType | null;
  expiresAt: Date | null;
  createdAt: Date | null;
  now: Date;
};

export type StatusDecision = { status: SecretStatus; reason: string };

/**
 * When the credential was issued, as far as the cluster tells: the secret's creation, or later when the
 * registry type's lifetime says so. The secret is updated in place on refresh, so creation is only a lower
 * bound; a longer guessed lifetime makes the warning come earlier, never later.
 */
export function issuedAtOf(expiresAt: Date, createdAt: Date | null, registryType: RegistryType | null): Date | null {
  const known = registryType ? KNOWN_LIFETIME_MS[registryType] : undefined;
  const fromType = known === undefined ? null : expiresAt.getTime() - known;
  const created = createdAt?.getTime() ?? null;
  if (fromType === null) return created === null ? null : new Date(created);
  return new Date(created === null ? fromType : Math.max(created, fromType));
}

/** Why a not-yet-expired secret is expiring soon, or null when it is not. */
export function expiringSoonReason(expiresAt: Date, issuedAt: Date | null, now: Date): string | null {
  const left = expiresAt.getTime() - now.getTime();
  if (left < EXPIRING_SOON_MS) return "less than 1 h of its credential's lifetime is left";
  if (!issuedAt) return null;
  const lifetime = expiresAt.getTime() - issuedAt.getTime();
  if (lifetime > 0 && left < lifetime * EXPIRING_SOON_FRACTION) {
    return `less than 25% of its credential's ${formatDuration(lifetime)} lifetime is left (the sync refreshes at 75%)`;
  }
  return null;
}

/** The status of one regcred secret: not managed, then orphaned, then expired, expiring soon, valid. */
export function secretStatus(input: StatusInput): StatusDecision {
  const { expiresAt, now } = input;
  if (!input.managed) {
    return {
      status: "not_managed",
      reason:
        "named regcred-* but without Regcred's managed-by and registry labels: Regcred never changes or removes it",
    };
  }
  if (input.registryType === null) {
    return { status: "orphaned", reason: `registry "${input.registryId ?? ""}" no longer exists in this org` };
  }
  if (!expiresAt) return { status: "valid", reason: "its credential has no expiry" };
  if (expiresAt.getTime() <= now.getTime())
    return { status: "expired", reason: `its credential expired at ${expiresAt.toISOString()}` };
  const soon = expiringSoonReason(expiresAt, issuedAtOf(expiresAt, input.createdAt, input.registryType), now);
  if (soon) return { status: "expiring_soon", reason: soon };
  return { status: "valid", reason: `its credential is valid until ${expiresAt.toISOString()}` };
}

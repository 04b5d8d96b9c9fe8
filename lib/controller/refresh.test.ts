import { describe, expect, it } from "vitest";
import { currentExpiry, MIN_REFRESH_DELAY_MS, planFailures, scheduleRefresh, type TokenSeen } from "./refresh";

const h = 3_600_000;
const t0 = new Date("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const mid = () => 0.5;

describe("scheduleRefresh", () => {
  it.each([
    ["at 75% of a 12 h token with no jitter", 0.5, 9 * h],
    ["jitter only ever delays past 75% (the cache mints at 75%)", 0, 9 * h],
    ["up to 80% with the largest jitter", 0.999999, 9.6 * h],
  ])("%s", (_name, r, expected) => {
    const seen = new Map<string, TokenSeen>();
    const next = scheduleRefresh(seen, [{ registryId: "ecr", expiresAt: at(12 * h) }], t0, () => r);
    expect(next!.getTime() - t0.getTime()).toBeCloseTo(expected, -4);
  });

  it("keeps the first-seen issue time while the same token is served", () => {
    const seen = new Map<string, TokenSeen>();
    scheduleRefresh(seen, [{ registryId: "ecr", expiresAt: at(12 * h) }], t0, mid);
    const later = scheduleRefresh(seen, [{ registryId: "ecr", expiresAt: at(12 * h) }], at(h), mid);
    expect(later).toEqual(at(9 * h));
  });

  it("restarts the lifetime when a new token arrives", () => {
    const seen = new Map<string, TokenSeen>();
    scheduleRefresh(seen, [{ registryId: "ecr", expiresAt: at(12 * h) }], t0, mid);
    expect(scheduleRefresh(seen, [{ registryId: "ecr", expiresAt: at(21 * h) }], at(9 * h), mid)).toEqual(
      at(9 * h + 9 * h),
    );
  });

  it("never spins on a token whose refresh time passed but which is still served", () => {
    const seen = new Map<string, TokenSeen>([["ecr", { expiresAt: at(12 * h).getTime(), issuedAt: t0.getTime() }]]);
    expect(scheduleRefresh(seen, [{ registryId: "ecr", expiresAt: at(12 * h) }], at(10 * h), mid)).toEqual(
      at(10 * h + MIN_REFRESH_DELAY_MS),
    );
  });

  it("takes the earliest of several, ignores expired ones and forgets unused registries", () => {
    const seen = new Map<string, TokenSeen>([["gone", { expiresAt: 1, issuedAt: 0 }]]);
    const next = scheduleRefresh(
      seen,
      [
        { registryId: "a", expiresAt: at(12 * h) },
        { registryId: "b", expiresAt: at(4 * h) },
        { registryId: "old", expiresAt: at(-h) },
      ],
      t0,
      mid,
    );
    expect(next).toEqual(at(3 * h));
    expect([...seen.keys()].sort()).toEqual(["a", "b", "old"]);
    expect(scheduleRefresh(seen, [{ registryId: "old", expiresAt: at(-h) }], t0, mid)).toBeNull();
  });
});

describe("currentExpiry", () => {
  it("is the earliest parseable expiry label of the registry's secrets", () => {
    const secrets = [
      { labels: { "regcred.dev/registry": "a", "regcred.dev/expires": "20260101T120000Z" } },
      { labels: { "regcred.dev/registry": "a", "regcred.dev/expires": "20260101T060000Z" } },
      { labels: { "regcred.dev/registry": "a", "regcred.dev/expires": "bad" } },
      { labels: { "regcred.dev/registry": "b", "regcred.dev/expires": "20250101T000000Z" } },
    ];
    expect(currentExpiry(secrets, "a")).toEqual(new Date("2026-01-01T06:00:00Z"));
    expect(currentExpiry(secrets, "c")).toBeNull();
  });
});

describe("planFailures", () => {
  it("backs off exponentially, keeps the old secret until it expires, and forgets recovered registries", () => {
    const expiry = () => at(2 * h);
    const first = planFailures(new Map(), [{ registryId: "ecr", reason: "down" }], expiry, t0, () => 0.999);
    expect(first.get("ecr")).toMatchObject({ attempt: 0, keepUntil: at(2 * h) });
    expect(first.get("ecr")!.retryAt.getTime() - t0.getTime()).toBeLessThanOrEqual(5_000);
    const second = planFailures(first, [{ registryId: "ecr", reason: "down" }], expiry, t0, () => 0.999);
    expect(second.get("ecr")!.attempt).toBe(1);
    expect(second.get("ecr")!.retryAt.getTime() - t0.getTime()).toBeGreaterThan(5_000);
    const expired = planFailures(second, [{ registryId: "ecr", reason: "down" }], expiry, at(3 * h), mid);
    expect(expired.get("ecr")!.keepUntil).toBeNull();
    expect(planFailures(second, [], expiry, t0, mid).size).toBe(0);
  });
});

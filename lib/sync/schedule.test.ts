import { describe, expect, it } from "vitest";
import { backoffDelay, nextRefreshAt, planRefreshFailure, shouldRefresh } from "./schedule";

const t0 = new Date("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const min = 60_000;
const hour = 60 * min;
const fixed = (value: number) => () => value;

describe("nextRefreshAt", () => {
  it.each<[string, number, number, number]>([
    ["12 h ECR token, no jitter → 9 h", 12 * hour, 0.5, 9 * hour],
    ["12 h, lowest jitter → 70%", 12 * hour, 0, 8.4 * hour],
    ["12 h, highest jitter → 80%", 12 * hour, 1 - Number.EPSILON, 9.6 * hour],
    ["1 h, no jitter → 45 min", hour, 0.5, 45 * min],
    ["1 h, highest jitter → 48 min (under the 55 min cap)", hour, 1 - Number.EPSILON, 48 * min],
    ["10 min, highest jitter → capped at 75% (quarter before expiry)", 10 * min, 1 - Number.EPSILON, 7.5 * min],
    ["20 min, highest jitter → capped 5 min before expiry", 20 * min, 1 - Number.EPSILON, 15 * min],
    ["out-of-range rng is clamped", 12 * hour, 7, 9.6 * hour],
    ["already expired → now", 0, 0.5, 0],
    ["expiry before issue → issue time", -hour, 0.5, 0],
  ])("%s", (_, lifetime, r, expected) => {
    expect(nextRefreshAt(t0, at(lifetime), fixed(r)).getTime()).toBeCloseTo(at(expected).getTime(), -1);
  });

  it("stays within [70%, 80%] of the lifetime for any rng value", () => {
    for (let r = 0; r < 1; r += 0.01) {
      const ms = nextRefreshAt(t0, at(12 * hour), fixed(r)).getTime() - t0.getTime();
      expect(ms).toBeGreaterThanOrEqual(0.7 * 12 * hour - 1);
      expect(ms).toBeLessThanOrEqual(0.8 * 12 * hour);
    }
  });
});

describe("backoffDelay", () => {
  it.each<[number, number, number]>([
    [0, 0.5, 2_500],
    [0, 1 - Number.EPSILON, 4_999],
    [1, 0.5, 5_000],
    [3, 0.5, 20_000],
    [5, 0.99, 158_400],
    [6, 0.5, 150_000],
    [100, 0.5, 150_000],
    [-2, 0.5, 2_500],
    [2, 0, 0],
  ])("attempt %i with rng %d → %i ms", (attempt, r, expected) => {
    expect(backoffDelay(attempt, fixed(r))).toBe(expected);
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 10, 50])("attempt %i stays within [0, min(5 min, 5 s × 2^n))", (attempt) => {
    const ceiling = Math.min(300_000, 5_000 * 2 ** attempt);
    for (const r of [0, 0.25, 0.999999]) {
      const delay = backoffDelay(attempt, fixed(r));
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(ceiling);
    }
  });
});

describe("shouldRefresh", () => {
  const expiry = at(12 * hour);
  it.each<[string, Date | null, number, number, boolean]>([
    ["fresh token", expiry, hour, 12 * hour, false],
    ["just before 75%", expiry, 9 * hour - 1, 12 * hour, false],
    ["at 75%", expiry, 9 * hour, 12 * hour, true],
    ["expired", expiry, 13 * hour, 12 * hour, true],
    ["no expiry", null, 100 * hour, 12 * hour, false],
    ["unknown lifetime: due at expiry", expiry, 12 * hour, 0, true],
    ["unknown lifetime: not before", expiry, 11 * hour, 0, false],
  ])("%s", (_, secretExpiry, nowOffset, lifetime, expected) => {
    expect(shouldRefresh(secretExpiry, at(nowOffset), lifetime)).toBe(expected);
  });
});

describe("planRefreshFailure", () => {
  it.each<[string, Date | null, boolean, Date | null]>([
    ["valid secret is kept until it expires", at(2 * hour), true, at(2 * hour)],
    ["non-expiring secret is kept", null, true, null],
    ["expired secret is not kept", at(-1), false, null],
    ["secret expiring right now is not kept", t0, false, null],
  ])("%s", (_, currentExpiry, keepExisting, keepUntil) => {
    const plan = planRefreshFailure({ attempt: 2, now: t0, currentExpiry, rng: fixed(0.5) });
    expect(plan).toEqual({ keepExisting, keepUntil, retryAt: at(10_000) });
  });
});

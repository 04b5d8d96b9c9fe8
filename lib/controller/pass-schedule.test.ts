import { describe, expect, it } from "vitest";
import { PassSchedule, type PassOutcome } from "./pass-schedule";

const t0 = new Date("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const h = 3_600_000;
const ok: PassOutcome = { unreachable: false, retry: false, expiring: [], unavailable: [], managed: [] };

describe("PassSchedule", () => {
  it("resyncs after the interval and nothing else when all is well", () => {
    const s = new PassSchedule(300_000, () => 0.5);
    expect(s.due(t0)).toBeNull();
    expect(s.afterPass(ok, t0)).toEqual([]);
    expect(s.due(at(299_999))).toBeNull();
    expect(s.due(at(300_000))).toBe("resync");
  });

  it("refreshes an expiring credential at 75% of its lifetime, before the resync when that comes first", () => {
    const s = new PassSchedule(24 * h, () => 0.5);
    s.afterPass({ ...ok, expiring: [{ registryId: "ecr", expiresAt: at(12 * h) }] }, t0);
    expect(s.due(at(9 * h - 1))).toBeNull();
    expect(s.due(at(9 * h))).toBe("refresh");
  });

  it("backs off on an unreachable cluster and resets once it answers", () => {
    const s = new PassSchedule(300_000, () => 0.999);
    expect(s.afterPass({ ...ok, unreachable: true }, t0)).toBeNull();
    const first = s.retryAt!.getTime() - t0.getTime();
    s.afterPass({ ...ok, unreachable: true }, t0);
    const second = s.retryAt!.getTime() - t0.getTime();
    expect(first).toBeLessThanOrEqual(5_000);
    expect(second).toBeGreaterThan(first);
    expect(s.due(at(second))).toBe("retry");
    s.afterPass(ok, t0);
    expect(s.retryAt).toBeNull();
  });

  it("retries failed writes and failed credentials, and reports the credential issues", () => {
    const s = new PassSchedule(300_000, () => 0.5);
    expect(s.afterPass({ ...ok, retry: true }, t0)).toEqual([]);
    expect(s.retryAt).not.toBeNull();
    const issues = s.afterPass(
      {
        ...ok,
        unavailable: [{ registryId: "ecr", reason: "ECR down" }],
        managed: [{ labels: { "regcred.dev/registry": "ecr", "regcred.dev/expires": "20260101T060000Z" } }],
      },
      t0,
    );
    expect(issues).toEqual([
      {
        registryId: "ecr",
        reason: "ECR down",
        attempt: 0,
        retryAt: expect.any(String),
        keepUntil: "2026-01-01T06:00:00.000Z",
      },
    ]);
    expect(s.failures).toHaveLength(1);
  });
});

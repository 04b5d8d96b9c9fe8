import { describe, expect, it } from "vitest";
import type { RegistryType } from "../registries/schema";
import { expiringSoonReason, issuedAtOf, secretStatus, type StatusInput } from "./status";

const now = new Date("2026-05-01T12:00:00Z");
const at = (iso: string) => new Date(iso);
const h = (n: number) => new Date(now.getTime() + n * 3_600_000);

const base: StatusInput = {
  managed: true,
  registryId: "harbor",
  registryType: "basic",
  expiresAt: null,
  createdAt: at("2026-04-01T00:00:00Z"),
  now,
};

describe("secretStatus", () => {
  it.each<[string, Partial<StatusInput>, string, RegExp]>([
    [
      "not managed wins over everything",
      { managed: false, registryType: null, expiresAt: h(-5) },
      "not_managed",
      /without Regcred's managed-by/,
    ],
    ["orphaned when the registry is gone", { registryType: null }, "orphaned", /registry "harbor" no longer exists/],
    ["orphaned wins over expired", { registryType: null, expiresAt: h(-1) }, "orphaned", /no longer exists/],
    ["no expiry label: valid", {}, "valid", /no expiry/],
    [
      "expired a second ago",
      { expiresAt: new Date(now.getTime() - 1000) },
      "expired",
      /expired at 2026-05-01T11:59:59.000Z/,
    ],
    ["expires exactly now: expired", { expiresAt: now }, "expired", /expired/],
    [
      "59 min left: expiring soon",
      { expiresAt: new Date(now.getTime() + 59 * 60_000) },
      "expiring_soon",
      /less than 1 h/,
    ],
    ["1 h left of a 30-day-old secret: expiring soon by both rules", { expiresAt: h(1) }, "expiring_soon", /25%|1 h/],
    [
      "3 days left of a secret created 30 days ago (25% = 8 days): expiring soon",
      { expiresAt: h(72) },
      "expiring_soon",
      /less than 25% of its credential's 33 d 12 h lifetime/,
    ],
    ["20 days left of a secret created 30 days ago: valid", { expiresAt: h(480) }, "valid", /valid until/],
    [
      "ECR, 4 h left of 12 h (created long ago): valid",
      { registryType: "amazon_ecr", expiresAt: h(4) },
      "valid",
      /valid until/,
    ],
    [
      "ECR, 2.5 h left of 12 h: expiring soon",
      { registryType: "amazon_ecr", expiresAt: h(2.5) },
      "expiring_soon",
      /12 h lifetime/,
    ],
    [
      "ECR without a creation time: 12 h lifetime",
      { registryType: "amazon_ecr", createdAt: null, expiresAt: h(2.9) },
      "expiring_soon",
      /25%/,
    ],
    ["no creation time, not ECR: only the 1 h rule", { createdAt: null, expiresAt: h(1.5) }, "valid", /valid until/],
  ])("%s", (_name, patch, status, reason) => {
    const r = secretStatus({ ...base, ...patch });
    expect(r.status).toBe(status);
    expect(r.reason).toMatch(reason);
  });
});

describe("issuedAtOf", () => {
  it.each<[string, Date, Date | null, RegistryType | null, Date | null]>([
    [
      "creation time when the type has no known lifetime",
      h(10),
      at("2026-04-01T00:00:00Z"),
      "basic",
      at("2026-04-01T00:00:00Z"),
    ],
    ["ECR: 12 h before expiry when created earlier", h(10), at("2026-04-01T00:00:00Z"), "amazon_ecr", h(-2)],
    ["ECR: creation when later than 12 h before expiry", h(10), h(-1), "amazon_ecr", h(-1)],
    ["ECR without creation", h(10), null, "amazon_ecr", h(-2)],
    ["nothing known", h(10), null, "basic", null],
    ["orphaned (no type)", h(10), h(-3), null, h(-3)],
  ])("%s", (_name, expires, created, type, issued) => {
    expect(issuedAtOf(expires, created, type)).toEqual(issued);
  });
});

describe("expiringSoonReason", () => {
  it.each<[string, Date, Date | null, boolean]>([
    ["exactly 1 h left is not soon by the 1 h rule", h(1), null, false],
    ["exactly 25% left is not soon", h(1.5), h(-4.5), false],
    ["just under 25% left is soon", new Date(h(1.5).getTime() - 1000), h(-4.5), true],
    ["issued after expiry (nonsense lifetime) falls back to the 1 h rule", h(2), h(3), false],
  ])("%s", (_name, expires, issued, soon) => {
    expect(expiringSoonReason(expires, issued, now) !== null).toBe(soon);
  });
});

import { randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, passwordHashStats, verifyDummyPassword, verifyPassword } from "./hash";

const cheap = { ln: 10, r: 8, p: 1 };
const legacy = (pw: string) => {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString("base64url")}$${scryptSync(pw, salt, 64).toString("base64url")}`;
};

describe("password hashes", () => {
  it("record their parameters and verify", async () => {
    const hash = await hashPassword("pw-123456789012", cheap);
    expect(hash).toMatch(/^scrypt\$ln=10,r=8,p=1\$[\w-]{22}\$[\w-]{86}$/);
    expect(await verifyPassword("pw-123456789012", hash)).toBe(true);
    expect(await verifyPassword("pw-123456789013", hash)).toBe(false);
  });

  it("verify the old scrypt$salt$hash format at N=2^14", async () => {
    const hash = legacy("old-password-1234");
    expect(await verifyPassword("old-password-1234", hash)).toBe(true);
    expect(await verifyPassword("other", hash)).toBe(false);
  });

  it.each([
    ["", false],
    ["bcrypt$x$y", false],
    ["scrypt$ln=99,r=8,p=1$c2FsdA$a2V5", false],
    ["scrypt$ln=10,r=8$c2FsdA$a2V5", false],
    ["scrypt$ln=10,r=8,p=1$c2FsdA$", false],
  ])("an unreadable hash %j never matches", async (stored, expected) => {
    expect(await verifyPassword("x", stored)).toBe(expected);
  });

  it.each([
    ["legacy", legacy("x"), { ln: 12, r: 8, p: 1 }, true],
    ["cheaper", "scrypt$ln=10,r=8,p=1$c2FsdA$a2V5", { ln: 12, r: 8, p: 1 }, true],
    ["same", "scrypt$ln=12,r=8,p=1$c2FsdA$a2V5", { ln: 12, r: 8, p: 1 }, false],
    ["dearer", "scrypt$ln=17,r=8,p=1$c2FsdA$a2V5", { ln: 12, r: 8, p: 1 }, false],
    ["other r", "scrypt$ln=12,r=16,p=1$c2FsdA$a2V5", { ln: 12, r: 8, p: 1 }, true],
  ])("needsRehash: %s", (_name, stored, cost, expected) => {
    expect(needsRehash(stored, cost)).toBe(expected);
  });

  it("the dummy check computes one hash and never matches", async () => {
    const before = passwordHashStats.calls;
    expect(await verifyDummyPassword("anything", cheap)).toBe(false);
    expect(passwordHashStats.calls - before).toBe(1);
  });
});

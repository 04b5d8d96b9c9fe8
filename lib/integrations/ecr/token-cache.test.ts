import { describe, expect, it } from "vitest";
import { TokenCache } from "./token-cache";

type Tok = { id: number; expiresAt: Date };
const hour = 3_600_000;

function setup(lifetimeMs = 12 * hour) {
  let t = Date.parse("2026-01-01T00:00:00Z");
  let minted = 0;
  const cache = new TokenCache<Tok>(0.75);
  const now = () => new Date(t);
  const mint = async () => ({ id: ++minted, expiresAt: new Date(t + lifetimeMs) });
  return { cache, now, mint, advance: (ms: number) => (t += ms), minted: () => minted };
}

describe("TokenCache", () => {
  it("reuses a token until 75% of its lifetime, then mints again", async () => {
    const s = setup();
    expect((await s.cache.get("org/reg", "fp", s.mint, s.now)).reused).toBe(false);
    s.advance(9 * hour - 1);
    expect(await s.cache.get("org/reg", "fp", s.mint, s.now)).toEqual({
      value: { id: 1, expiresAt: expect.any(Date) },
      reused: true,
    });
    s.advance(1);
    expect((await s.cache.get("org/reg", "fp", s.mint, s.now)).value.id).toBe(2);
    expect(s.minted()).toBe(2);
  });

  it("mints again when the credential fingerprint changes", async () => {
    const s = setup();
    await s.cache.get("org/reg", "fp1", s.mint, s.now);
    expect((await s.cache.get("org/reg", "fp2", s.mint, s.now)).value.id).toBe(2);
    expect((await s.cache.get("org/reg", "fp2", s.mint, s.now)).value.id).toBe(2);
  });

  it("keeps registries apart", async () => {
    const s = setup();
    await s.cache.get("org/a", "fp", s.mint, s.now);
    await s.cache.get("org/b", "fp", s.mint, s.now);
    expect(s.minted()).toBe(2);
  });

  it("shares one in-flight mint among concurrent callers", async () => {
    const s = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slowMint = async () => {
      await gate;
      return s.mint();
    };
    const calls = Promise.all([1, 2, 3, 4].map(() => s.cache.get("org/reg", "fp", slowMint, s.now)));
    release();
    const results = await calls;
    expect(s.minted()).toBe(1);
    expect(results.map((r) => r.reused).sort()).toEqual([false, true, true, true]);
  });

  it("does not cache failures", async () => {
    const s = setup();
    const failing = () => Promise.reject(new Error("nope"));
    await expect(s.cache.get("org/reg", "fp", failing, s.now)).rejects.toThrow("nope");
    expect((await s.cache.get("org/reg", "fp", s.mint, s.now)).reused).toBe(false);
  });

  it("does not keep a token that is already expired when minted (moto's fixed past expiresAt)", async () => {
    const s = setup(-hour);
    await s.cache.get("org/reg", "fp", s.mint, s.now);
    await s.cache.get("org/reg", "fp", s.mint, s.now);
    expect(s.minted()).toBe(2);
    expect(s.cache.size).toBe(0);
  });
});

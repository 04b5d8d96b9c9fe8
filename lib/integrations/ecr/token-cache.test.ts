import { describe, expect, it } from "vitest";
import { fail, ok, type Result } from "@/lib/result";
import { type Cached, TokenCache } from "./token-cache";

type Tok = { id: number; expiresAt: Date };
const hour = 3_600_000;

function setup(lifetimeMs = 12 * hour) {
  let t = Date.parse("2026-01-01T00:00:00Z");
  let minted = 0;
  const cache = new TokenCache<Tok, string>(0.75);
  const now = () => new Date(t);
  const mint = async (): Promise<Result<Tok, string>> => ok({ id: ++minted, expiresAt: new Date(t + lifetimeMs) });
  const get = async (key = "org/reg", fp = "fp", m = mint): Promise<Cached<Tok>> => {
    const got = await cache.get(key, fp, m, now);
    if (!got.ok) throw new Error(`unexpected failure: ${got.error}`);
    return got.value;
  };
  return { cache, now, mint, get, advance: (ms: number) => (t += ms), minted: () => minted };
}

describe("TokenCache", () => {
  it("reuses a token until 75% of its lifetime, then mints again", async () => {
    const s = setup();
    expect((await s.get()).reused).toBe(false);
    s.advance(9 * hour - 1);
    expect(await s.get()).toEqual({ value: { id: 1, expiresAt: expect.any(Date) }, reused: true });
    s.advance(1);
    expect((await s.get()).value.id).toBe(2);
    expect(s.minted()).toBe(2);
  });

  it("mints again when the credential fingerprint changes", async () => {
    const s = setup();
    await s.get("org/reg", "fp1");
    expect((await s.get("org/reg", "fp2")).value.id).toBe(2);
    expect((await s.get("org/reg", "fp2")).value.id).toBe(2);
  });

  it("keeps registries apart", async () => {
    const s = setup();
    await s.get("org/a");
    await s.get("org/b");
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
    const calls = Promise.all([1, 2, 3, 4].map(() => s.get("org/reg", "fp", slowMint)));
    release();
    const results = await calls;
    expect(s.minted()).toBe(1);
    expect(results.map((r) => r.reused).sort()).toEqual([false, true, true, true]);
  });

  it("hands a failed mint to every caller waiting on it, and does not cache it", async () => {
    const s = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const failing = async (): Promise<Result<Tok, string>> => {
      await gate;
      return fail("nope");
    };
    const calls = Promise.all([1, 2].map(() => s.cache.get("org/reg", "fp", failing, s.now)));
    release();
    expect(await calls).toEqual([
      { ok: false, error: "nope" },
      { ok: false, error: "nope" },
    ]);
    expect(s.cache.size).toBe(0);
    expect((await s.get()).reused).toBe(false);
  });

  it("does not keep a token that is already expired when minted (moto's fixed past expiresAt)", async () => {
    const s = setup(-hour);
    await s.get();
    await s.get();
    expect(s.minted()).toBe(2);
    expect(s.cache.size).toBe(0);
  });
});

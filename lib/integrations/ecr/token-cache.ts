import { ok, type Result } from "@/lib/result";

type Entry<T> = { fingerprint: string; value: T; refreshAt: number; expiresAt: number };
export type Cached<T> = { value: T; reused: boolean };

/**
 * Tokens per key, reused until `refreshFraction` of their lifetime has passed; one in-flight mint per
 * key and fingerprint (a credential hash), so a credential change invalidates. Failed mints are not cached.
 */
export class TokenCache<T extends { expiresAt: Date }, F> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inflight = new Map<string, Promise<Result<T, F>>>();

  constructor(private readonly refreshFraction = 0.75) {}

  async get(
    key: string,
    fingerprint: string,
    mint: () => Promise<Result<T, F>>,
    now: () => Date,
  ): Promise<Result<Cached<T>, F>> {
    const t = now().getTime();
    const hit = this.entries.get(key);
    if (hit && (hit.fingerprint !== fingerprint || t >= hit.expiresAt)) this.entries.delete(key);
    else if (hit && t < hit.refreshAt) return ok({ value: hit.value, reused: true });
    const flightKey = `${key}\u0000${fingerprint}`;
    const pending = this.inflight.get(flightKey);
    if (pending) return reusedAs(await pending, true);
    const promise = this.mintAndStore(key, fingerprint, mint, now);
    this.inflight.set(flightKey, promise);
    try {
      return reusedAs(await promise, false);
    } finally {
      this.inflight.delete(flightKey);
    }
  }

  private async mintAndStore(
    key: string,
    fingerprint: string,
    mint: () => Promise<Result<T, F>>,
    now: () => Date,
  ): Promise<Result<T, F>> {
    const minted = await mint();
    if (!minted.ok) return minted;
    const mintedAt = now().getTime();
    const expiresAt = minted.value.expiresAt.getTime();
    const refreshAt = mintedAt + (expiresAt - mintedAt) * this.refreshFraction;
    if (refreshAt > mintedAt) this.entries.set(key, { fingerprint, value: minted.value, refreshAt, expiresAt });
    return minted;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

function reusedAs<T, F>(result: Result<T, F>, reused: boolean): Result<Cached<T>, F> {
  return result.ok ? ok({ value: result.value, reused }) : result;
}

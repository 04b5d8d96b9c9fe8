type Entry<T> = { fingerprint: string; value: T; refreshAt: number; expiresAt: number };

/**
 * Tokens per key, reused until `refreshFraction` of their lifetime has passed; one in-flight mint per
 * key and fingerprint (a credential hash), so a credential change invalidates. Errors are not cached.
 */
export class TokenCache<T extends { expiresAt: Date }> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inflight = new Map<string, Promise<T>>();

  constructor(private readonly refreshFraction = 0.75) {}

  async get(
    key: string,
    fingerprint: string,
    mint: () => Promise<T>,
    now: () => Date,
  ): Promise<{ value: T; reused: boolean }> {
    const t = now().getTime();
    const hit = this.entries.get(key);
    if (hit && (hit.fingerprint !== fingerprint || t >= hit.expiresAt)) this.entries.delete(key);
    else if (hit && t < hit.refreshAt) return { value: hit.value, reused: true };
    const flightKey = `${key}\u0000${fingerprint}`;
    const pending = this.inflight.get(flightKey);
    if (pending) return { value: await pending, reused: true };
    const promise = this.mintAndStore(key, fingerprint, mint, now);
    this.inflight.set(flightKey, promise);
    try {
      return { value: await promise, reused: false };
    } finally {
      this.inflight.delete(flightKey);
    }
  }

  private async mintAndStore(key: string, fingerprint: string, mint: () => Promise<T>, now: () => Date): Promise<T> {
    const value = await mint();
    const mintedAt = now().getTime();
    const expiresAt = value.expiresAt.getTime();
    const refreshAt = mintedAt + (expiresAt - mintedAt) * this.refreshFraction;
    if (refreshAt > mintedAt) this.entries.set(key, { fingerprint, value, refreshAt, expiresAt });
    return value;
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

import { type RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/** Takes one point for `key`: null when allowed, else the whole seconds (≥ 1) until the next point frees up. */
export async function consumePoint(limiter: RateLimiterMemory, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (err) {
    if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    throw err;
  }
}

import { backoffDelay, type Rng } from "@/lib/sync/schedule";

/**
 * A work queue keyed by namespace, as Kubernetes controllers use: a key added several times before it is taken
 * is worked once; a key that failed comes back after a per-key exponential backoff (reset by `forget`).
 */
export class WorkQueue {
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    /** Called whenever a key becomes ready to be taken. */
    private readonly onReady: () => void,
    private readonly rng: Rng = Math.random,
  ) {}

  get size(): number {
    return this.dirty.size;
  }

  /** Keys waiting for their backoff to pass. */
  get waiting(): number {
    return this.delayed.size;
  }

  add(key: string): void {
    this.dirty.add(key);
    this.onReady();
  }

  /** Adds the key again after its backoff: up to 5 s after the first failure, doubling per failure up to 5 min. */
  retryLater(key: string): void {
    const attempt = this.failures.get(key) ?? 0;
    this.failures.set(key, attempt + 1);
    if (this.delayed.has(key)) return;
    const timer = setTimeout(
      () => {
        this.delayed.delete(key);
        this.add(key);
      },
      backoffDelay(attempt, this.rng),
    );
    timer.unref?.();
    this.delayed.set(key, timer);
  }

  /** The key succeeded: its next failure starts the backoff from the beginning. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Every key ready now (each once), leaving the queue empty. */
  take(): string[] {
    const keys = [...this.dirty];
    this.dirty.clear();
    return keys;
  }

  /** Drops every key, waiting ones included (a full pass covers them, or this instance stopped leading). */
  clear(): void {
    this.dirty.clear();
    for (const t of this.delayed.values()) clearTimeout(t);
    this.delayed.clear();
  }
}

import { afterAll, beforeAll, beforeEach } from "vitest";

export type Stopper = () => unknown;

/**
 * Starts the file's peers once: `start` pushes onto `stoppers` a stopper per peer it started (run in reverse after all
 * tests, failures ignored). A peer that cannot start fails every test, where vitest would only mark them skipped.
 */
export function startPeersOnce(
  stoppers: Stopper[],
  start: () => Promise<void>,
  timeoutMs = 180_000,
): { failed: () => boolean } {
  let setupError: unknown;
  beforeAll(async () => {
    try {
      await start();
    } catch (err) {
      setupError = err ?? new Error("the peers did not start");
    }
  }, timeoutMs);
  beforeEach(() => {
    if (setupError) throw setupError;
  });
  afterAll(async () => {
    for (const stop of stoppers.reverse())
      await Promise.resolve()
        .then(stop)
        .catch(() => {});
  });
  return { failed: () => setupError !== undefined };
}

"use client";

import { useCallback, useRef, useSyncExternalStore } from "react";

/** setTimeout holds at most 2^31-1 ms; an hour keeps a sleeping laptop's clock from drifting further. */
const MAX_WAIT_MS = 3_600_000;
const noServerTime = () => null;

/**
 * The current time on the client (null while rendering on the server). It is read when the component
 * mounts or `at` changes, and again exactly when `untilChange(at, now)` says what is shown changes.
 */
export function useNow(at: number, untilChange: (at: number, now: number) => number): number | null {
  const now = useRef<number | null>(null);
  const subscribe = useCallback(
    (notify: () => void) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const tick = () => {
        now.current = Date.now();
        notify();
        const wait = Number.isFinite(at) ? untilChange(at, now.current) : MAX_WAIT_MS;
        timer = setTimeout(tick, Math.min(Math.max(wait, 1), MAX_WAIT_MS));
      };
      tick();
      return () => clearTimeout(timer);
    },
    [at, untilChange],
  );
  const read = useCallback(() => (now.current ??= Date.now()), []);
  return useSyncExternalStore(subscribe, read, noServerTime);
}

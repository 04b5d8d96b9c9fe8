"use client";

import { useCallback, useEffect, useRef, useState } from "react";

/**
 * Data the server rendered with the page, loaded again by `reload()` and when the tab regains focus once it is
 * older than `staleMs`. A failed load keeps what is shown; an answer overtaken by a later load is dropped.
 */
export function useReloadable<T>(initial: T, load: () => Promise<T>, staleMs = 10_000) {
  const [data, setData] = useState(initial);
  const loadRef = useRef(load);
  const loadedAt = useRef(0);
  const latest = useRef(0);
  useEffect(() => {
    loadRef.current = load;
  });
  const reload = useCallback(async () => {
    const mine = ++latest.current;
    try {
      const next = await loadRef.current();
      if (mine !== latest.current) return;
      loadedAt.current = Date.now();
      setData(next);
    } catch {
      // Kept as shown; the next reload tries again.
    }
  }, []);
  useEffect(() => {
    loadedAt.current = Date.now();
    const onFocus = () => {
      if (document.visibilityState === "visible" && Date.now() - loadedAt.current > staleMs) void reload();
    };
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onFocus);
    return () => {
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onFocus);
    };
  }, [reload, staleMs]);
  return { data, reload };
}

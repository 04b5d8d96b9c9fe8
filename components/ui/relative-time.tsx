"use client";

import { useEffect, useState } from "react";
import { formatRelative } from "@/lib/time";

/** A <time> that shows "5 min ago" and the absolute time on hover; re-renders each minute. */
export function RelativeTime({ iso }: { iso: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  const absolute = new Date(iso).toISOString().replace("T", " ").slice(0, 16) + " UTC";
  return (
    <time dateTime={iso} title={absolute}>
      {now === null ? absolute : formatRelative(iso, now)}
    </time>
  );
}

"use client";

import { formatRelative } from "@/lib/time";
import { useNow } from "./use-now";

/** A <time> that shows "5 min ago" with the absolute UTC time on hover. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  const absolute = `${new Date(iso).toISOString().replace("T", " ").slice(0, 16)} UTC`;
  return (
    <time dateTime={iso} title={absolute}>
      {now === null ? absolute : formatRelative(iso, now)}
    </time>
  );
}

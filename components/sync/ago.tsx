"use client";

import { useNow } from "@/components/ui/use-now";
import { formatRelative } from "@/lib/time";

/** "5 min ago" for a past event; the shared clock ticks every 30 s, so an event newer than it still reads "just now". */
export function Ago({ iso }: { iso: string }) {
  const now = useNow();
  const absolute = `${new Date(iso).toISOString().replace("T", " ").slice(0, 16)} UTC`;
  return (
    <time dateTime={iso} title={absolute}>
      {now === null ? absolute : formatRelative(iso, Math.max(now, Date.parse(iso) + 1))}
    </time>
  );
}

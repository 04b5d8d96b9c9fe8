"use client";

import { formatDuration, formatRelative, formatUtc, msUntilRelativeChange, type RelativeKind } from "@/lib/time";
import { useNow } from "./use-now";

const untilChange = {
  event: (at: number, now: number) => msUntilRelativeChange(at, now, "event"),
  deadline: (at: number, now: number) => msUntilRelativeChange(at, now, "deadline"),
};

/**
 * A <time> reading "just now", "5 min ago" or (for a deadline) "in 3 h", with the UTC time on hover;
 * it re-renders exactly when its text changes. `event` (the default) never reads as future.
 */
export function RelativeTime({ iso, kind = "event" }: { iso: string; kind?: RelativeKind }) {
  const at = Date.parse(iso);
  const now = useNow(at, untilChange[kind]);
  const absolute = formatUtc(at);
  return (
    <time dateTime={iso} title={absolute}>
      {now === null ? absolute : formatRelative(at, now, kind)}
    </time>
  );
}

/** How long ago something began, as "3 d 4 h" or "< 1 min", on the same clock as RelativeTime. */
export function Age({ iso }: { iso: string }) {
  const at = Date.parse(iso);
  const now = useNow(at, untilChange.event);
  const absolute = formatUtc(at);
  const age = now === null ? null : Math.max(0, now - at);
  return (
    <time dateTime={iso} title={absolute}>
      {age === null ? absolute : age < 60_000 ? "< 1 min" : formatDuration(age)}
    </time>
  );
}

"use client";

import { useNow } from "@/components/ui/use-now";
import { formatDuration, formatRelative } from "@/lib/time";

export function absoluteUtc(iso: string): string {
  return `${new Date(iso).toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

/** The expiry as both an absolute UTC time and "in 3 h 12 min". */
export function Expiry({ iso }: { iso: string | null }) {
  const now = useNow();
  if (!iso) return <span className="muted">never</span>;
  return (
    <span className="stack" style={{ gap: 0 }}>
      <time dateTime={iso}>{absoluteUtc(iso)}</time>
      {now === null ? null : <span className="muted">{formatRelative(iso, now)}</span>}
    </span>
  );
}

/** How long ago the secret was created, as "3 d 4 h". */
export function Age({ iso }: { iso: string | null }) {
  const now = useNow();
  if (!iso) return <span className="muted">unknown</span>;
  const age = now === null ? null : now - Date.parse(iso);
  return (
    <time dateTime={iso} title={absoluteUtc(iso)}>
      {age === null ? absoluteUtc(iso) : age < 60_000 ? "< 1 min" : formatDuration(age)}
    </time>
  );
}

"use client";

import { Age as AgeTime, RelativeTime } from "@/components/ui/relative-time";
import { formatUtc } from "@/lib/time";

/** The expiry as both an absolute UTC time and "in 3 h 12 min". */
export function Expiry({ iso }: { iso: string | null }) {
  if (!iso) return <span className="muted">never</span>;
  return (
    <span className="stack" style={{ gap: 0 }}>
      <time dateTime={iso}>{formatUtc(iso)}</time>
      <span className="muted">
        <RelativeTime iso={iso} kind="deadline" />
      </span>
    </span>
  );
}

/** How long ago the secret was created, as "3 d 4 h". */
export function Age({ iso }: { iso: string | null }) {
  if (!iso) return <span className="muted">unknown</span>;
  return <AgeTime iso={iso} />;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ["d", DAY],
  ["h", HOUR],
  ["min", MINUTE],
];

/** The smallest unit `formatDuration` shows for a duration this long. */
function smallestShownUnit(ms: number): number {
  return ms >= DAY ? HOUR : MINUTE;
}

/** Human duration such as "3 h 12 min" or "2 d 5 h" (a unit and the one below it), or "under a minute". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return "under a minute";
  const i = UNITS.findIndex(([, size]) => abs >= size);
  const [name, size] = UNITS[i]!;
  const first = `${Math.floor(abs / size)} ${name}`;
  const below = UNITS[i + 1];
  const second = below ? Math.floor((abs % size) / below[1]) : 0;
  return below && second > 0 ? `${first} ${second} ${below[0]}` : first;
}

/**
 * `event`: something that happened (created, tested, joined); a time ahead of `now` is the clocks of server
 * and browser disagreeing, and reads "just now". `deadline`: a time that may lie ahead (expiry, retry).
 */
export type RelativeKind = "event" | "deadline";

/** "just now", "5 min ago", "2 d 3 h ago", or for a deadline ahead "in 3 h 12 min" / "in under a minute". */
export function formatRelative(at: string | number, now: number, kind: RelativeKind = "event"): string {
  const delta = toMs(at) - now;
  if (delta > 0 && kind === "deadline") return `in ${formatDuration(delta)}`;
  const age = Math.max(0, -delta);
  return age < MINUTE ? "just now" : `${formatDuration(age)} ago`;
}

/** Milliseconds from `now` until `formatRelative(at, ·, kind)` (and `formatDuration` of the age) reads differently. */
export function msUntilRelativeChange(at: string | number, now: number, kind: RelativeKind = "event"): number {
  const delta = toMs(at) - now;
  if (delta > 0 && kind === "deadline") {
    const unit = smallestShownUnit(delta);
    const shown = Math.floor(delta / unit) * unit;
    return shown === 0 ? delta : delta - shown + 1;
  }
  if (delta > 0) return delta + MINUTE;
  const age = -delta;
  const unit = smallestShownUnit(age);
  return (Math.floor(age / unit) + 1) * unit - age;
}

/** "2026-05-01 12:00 UTC". */
export function formatUtc(at: string | number): string {
  return `${new Date(toMs(at)).toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

function toMs(at: string | number): number {
  return typeof at === "number" ? at : Date.parse(at);
}

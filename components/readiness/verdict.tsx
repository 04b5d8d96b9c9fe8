import { Badge } from "@/components/ui/badge";
import { type Severity, type Verdict, verdictLabels } from "@/lib/readiness/schema";

export const verdictTones = { ready: "ok", will_fail: "bad", unknown: "warn" } as const;
const verdictIcons: Record<Verdict, string> = { ready: "✓", will_fail: "✕", unknown: "?" };

/** The verdict in words, with an icon and a colour that only repeat what the words say. */
export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  return (
    <span data-verdict={verdict}>
      <Badge tone={verdictTones[verdict]}>
        <span aria-hidden="true">{verdictIcons[verdict]}</span>
        {verdictLabels[verdict]}
      </Badge>
    </span>
  );
}

const severityIcons: Record<Severity, string> = { ok: "✓", fail: "✕", unknown: "?", info: "i" };
export const severityLabels: Record<Severity, string> = {
  ok: "Fine",
  fail: "Problem",
  unknown: "Not known",
  info: "Note",
};
const severityColours: Record<Severity, string> = {
  ok: "var(--ok)",
  fail: "var(--danger)",
  unknown: "var(--warn)",
  info: "var(--muted)",
};

/** A round icon per severity; screen readers hear its name ("Problem:") instead of the glyph. */
export function SeverityIcon({ severity }: { severity: Severity }) {
  return (
    <span className="severity-icon" data-severity={severity} style={{ color: severityColours[severity] }}>
      <span aria-hidden="true">{severityIcons[severity]}</span>
      <span className="sr-only">{severityLabels[severity]}:</span>
    </span>
  );
}

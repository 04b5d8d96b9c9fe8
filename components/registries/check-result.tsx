"use client";

import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import type { CheckResult } from "@/lib/credential-checks/types";

const tones = { valid: "ok", invalid: "bad", unreachable: "warn", unsupported: "neutral" } as const;

/** The outcome of a credential check: status, one sentence, and each step with its time. */
export function CheckResultView({ result }: { result: CheckResult }) {
  return (
    <div
      className="callout stack"
      style={{ gap: 6 }}
      role="status"
      aria-live="polite"
      data-check-status={result.status}
    >
      <div className="row" style={{ flexWrap: "wrap" }}>
        <Badge tone={tones[result.status]}>{result.status}</Badge>
        <span>{result.summary}</span>
      </div>
      {result.expiresAt ? (
        <span className="muted">
          Token expires <RelativeTime iso={result.expiresAt} />
        </span>
      ) : null}
      {result.steps.length > 0 ? (
        <ol style={{ margin: 0, paddingLeft: 18 }} aria-label="Check steps">
          {result.steps.map((s, i) => (
            <li key={i} className={s.ok ? "muted" : undefined}>
              <span aria-hidden="true">{s.ok ? "✓" : "✗"}</span> <strong>{s.step}</strong> {s.detail}{" "}
              <span className="muted">({s.ms} ms)</span>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}

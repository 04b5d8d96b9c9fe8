"use client";

import { Badge } from "@/components/ui/badge";
import { describePermission } from "@/lib/clusters/permissions";
import type { ClusterTestResult } from "@/lib/clusters/schema";

export const testTones = { ok: "ok", degraded: "warn", unreachable: "bad", unauthorized: "bad" } as const;

/** The outcome of "Test connection": status, version, what is missing, and each step with its time. */
export function ClusterTestResultView({ result }: { result: ClusterTestResult }) {
  return (
    <div className="callout stack" style={{ gap: 6 }} role="status" aria-live="polite" data-test-status={result.status}>
      <div className="row" style={{ flexWrap: "wrap" }}>
        <Badge tone={testTones[result.status]}>{result.status}</Badge>
        {result.version ? <span className="mono">{result.version}</span> : null}
        <span>{result.summary}</span>
      </div>
      {result.missing.length > 0 ? (
        <div>
          <strong>Missing permissions ({result.missing.length})</strong>
          <ul style={{ margin: "4px 0 0", paddingLeft: 18, columns: "2 16em" }} aria-label="Missing permissions">
            {result.missing.map((p) => (
              <li key={describePermission(p)} className="mono">
                {describePermission(p)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ol style={{ margin: 0, paddingLeft: 18 }} aria-label="Test steps">
        {result.steps.map((s) => (
          <li key={s.step} className={s.ok ? "muted" : undefined}>
            <span aria-hidden="true">{s.ok ? "✓" : "✗"}</span> <strong>{s.step}</strong> {s.detail}{" "}
            <span className="muted">({s.ms} ms)</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

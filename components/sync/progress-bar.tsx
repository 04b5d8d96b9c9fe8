/**
 * A pass's progress over namespaces. Until the pass has listed the cluster's namespaces there is no total:
 * it reads "Listing namespaces…" rather than "0/0".
 */
export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  const known = total > 0;
  const pct = known ? Math.round((Math.min(done, total) / total) * 100) : 0;
  return (
    <div className="row" style={{ minWidth: 180 }}>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={known ? 0 : undefined}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? done : undefined}
        aria-valuetext={known ? `${done} of ${total} namespaces` : "listing namespaces"}
        style={{
          flex: 1,
          height: 8,
          borderRadius: 999,
          background: "var(--surface-2)",
          border: "1px solid var(--border)",
          overflow: "hidden",
        }}
      >
        <div
          style={{ width: `${pct}%`, height: "100%", background: "var(--accent)", transition: "width 300ms ease" }}
        />
      </div>
      <span className="muted" style={{ fontSize: 12, whiteSpace: "nowrap" }}>
        {known ? `${done}/${total}` : "Listing namespaces…"}
      </span>
    </div>
  );
}

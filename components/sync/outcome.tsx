import { Badge } from "@/components/ui/badge";
import type { SyncNamespaceDto, SyncRunStatus, SyncRunSummary } from "@/lib/sync/schema";
import type { SecretStatus } from "@/lib/secrets/schema";

const runTones: Record<SyncRunStatus, "ok" | "bad" | "warn" | "neutral"> = {
  succeeded: "ok",
  partial: "warn",
  failed: "bad",
  running: "neutral",
  queued: "neutral",
};
const runLabels: Record<SyncRunStatus, string> = {
  succeeded: "in sync",
  partial: "partly failed",
  failed: "failed",
  running: "running",
  queued: "queued",
};
const nsTones: Record<SyncNamespaceDto["outcome"], "ok" | "bad" | "warn" | "neutral"> = {
  ok: "ok",
  changed: "ok",
  conflict: "warn",
  error: "bad",
};
const nsLabels: Record<SyncNamespaceDto["outcome"], string> = {
  ok: "in sync",
  changed: "updated",
  conflict: "conflict",
  error: "error",
};

export function RunBadge({ status, title }: { status: SyncRunStatus | null; title?: string }) {
  if (!status) return <span className="muted">Never synced</span>;
  return (
    <Badge tone={runTones[status]} title={title}>
      {runLabels[status]}
    </Badge>
  );
}

/**
 * The last pass's outcome in a namespace. Where the pass went well but a secret it keeps has expired since
 * (the Secrets screen's status), the namespace is not in sync: pulls with that secret fail.
 */
export function NamespaceBadge({
  outcome,
  statuses = [],
}: {
  outcome: SyncNamespaceDto["outcome"];
  statuses?: readonly SecretStatus[];
}) {
  if ((outcome === "ok" || outcome === "changed") && statuses.includes("expired"))
    return (
      <Badge tone="bad" title="A secret's credential has expired since the last pass wrote it">
        expired
      </Badge>
    );
  return <Badge tone={nsTones[outcome]}>{nsLabels[outcome]}</Badge>;
}

/** "2 created, 1 updated, 3 ServiceAccounts wired" — or "nothing to change". */
export function describeSummary(s: SyncRunSummary | null): string {
  if (!s) return "";
  const parts = [
    s.created ? `${s.created} created` : "",
    s.updated ? `${s.updated} updated` : "",
    s.deleted ? `${s.deleted} deleted` : "",
    s.markedUnused ? `${s.markedUnused} marked unused` : "",
    s.serviceAccounts ? `${s.serviceAccounts} ServiceAccount${s.serviceAccounts === 1 ? "" : "s"} wired` : "",
    s.workloads ? `${s.workloads} workload${s.workloads === 1 ? "" : "s"} patched` : "",
    s.conflicts ? `${s.conflicts} conflict${s.conflicts === 1 ? "" : "s"}` : "",
    s.errors ? `${s.errors} error${s.errors === 1 ? "" : "s"}` : "",
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "nothing to change";
}

"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { Button, buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { type Column, DataTable, Row, RowActions } from "@/components/ui/table";
import { Ago } from "./ago";
import { getSyncOverviewAction, requestSyncAction } from "@/lib/sync/actions";
import { syncKeys, syncPollInterval, unwrap } from "@/lib/sync/queries";
import type { SyncClusterOverview } from "@/lib/sync/schema";
import { ClusterDetails } from "./cluster-details";
import { describeSummary, RunBadge } from "./outcome";
import { ProgressBar } from "./progress-bar";

const columns: Column[] = [
  { label: "Cluster" },
  { label: "Sync" },
  { label: "Last result" },
  { label: "Namespaces" },
  { label: "Actions", hideLabel: true },
];

type Props = { orgId: string; canSync: boolean; initial: SyncClusterOverview[] };

function Counts({ c }: { c: SyncClusterOverview }) {
  const total = c.counts.ok + c.counts.changed + c.counts.conflict + c.counts.error;
  if (total === 0) return <span className="muted">—</span>;
  const problems = [
    c.counts.error ? `${c.counts.error} with errors` : "",
    c.counts.conflict ? `${c.counts.conflict} with conflicts` : "",
  ].filter(Boolean);
  return (
    <span>
      {total} namespace{total === 1 ? "" : "s"}
      {problems.length ? (
        <span style={{ color: c.counts.error ? "var(--danger)" : "var(--warn)" }}>, {problems.join(", ")}</span>
      ) : null}
    </span>
  );
}

function State({ c }: { c: SyncClusterOverview }) {
  if (c.state === "running" && c.progress)
    return <ProgressBar done={c.progress.done} total={c.progress.total} label={`Sync of ${c.cluster.name}`} />;
  if (c.state === "queued") return <span className="muted">Queued…</span>;
  return (
    <span className="row" style={{ flexWrap: "wrap" }}>
      <RunBadge status={c.last_status} title={c.last_error ?? undefined} />
      {c.last_sync_at ? (
        <span className="muted">
          <Ago iso={c.last_sync_at} />
        </span>
      ) : null}
    </span>
  );
}

export function SyncScreen({ orgId, canSync, initial }: Props) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const { data: clusters = initial } = useQuery({
    queryKey: syncKeys.overview(orgId),
    queryFn: async () => unwrap(await getSyncOverviewAction()),
    initialData: initial,
    refetchInterval: (q) => syncPollInterval((q.state.data ?? initial).map((c) => c.state)),
  });

  const syncNow = async (c: SyncClusterOverview) => {
    setPending((p) => ({ ...p, [c.cluster.id]: true }));
    const result = await requestSyncAction(c.cluster.id);
    setPending((p) => ({ ...p, [c.cluster.id]: false }));
    if (!result.ok) return void toast.error(result.error.message);
    toast.success(`Sync of ${c.cluster.name} queued`);
    await queryClient.invalidateQueries({ queryKey: syncKeys.all(orgId) });
  };

  return (
    <div className="stack">
      <header className="page-head">
        <div>
          <h1>Sync</h1>
          <p>
            Regcred keeps a <code>regcred-&lt;registry&gt;</code> secret in every namespace whose workloads pull from a
            private registry, wires it and refreshes it.
          </p>
        </div>
      </header>
      {clusters.length === 0 ? (
        <EmptyState
          title="No clusters to sync"
          action={
            <Link className={buttonClass("primary")} href="/clusters">
              Add a cluster
            </Link>
          }
        >
          Add a cluster first: Regcred then watches its workloads and writes the pull secrets they need.
        </EmptyState>
      ) : (
        <DataTable caption="Sync status per cluster" columns={columns}>
          {clusters.map((c) => {
            const busy = c.state !== "idle" || pending[c.cluster.id];
            const label =
              c.state === "running"
                ? "Syncing…"
                : c.state === "queued" || pending[c.cluster.id]
                  ? "Queued…"
                  : "Sync now";
            const detailsId = `sync-details-${c.cluster.id}`;
            const expanded = Boolean(open[c.cluster.id]);
            return (
              <Row
                key={c.cluster.id}
                data-cluster-name={c.cluster.name}
                expanded={
                  expanded ? (
                    <ClusterDetails orgId={orgId} clusterId={c.cluster.id} clusterName={c.cluster.name} />
                  ) : null
                }
                expandedId={detailsId}
                expandedLabel={`Details of ${c.cluster.name}`}
              >
                <td>
                  <span className="mono">{c.cluster.name}</span>
                  <br />
                  <span className="muted mono" style={{ fontSize: 12 }}>
                    {c.server}
                  </span>
                </td>
                <td aria-live="polite">
                  <State c={c} />
                </td>
                <td>
                  {c.last ? describeSummary(c.last.summary) || c.last.error : <span className="muted">—</span>}
                  {c.last_error && c.state === "idle" ? (
                    <>
                      <br />
                      <span style={{ color: "var(--danger)" }}>{c.last_error}</span>
                    </>
                  ) : null}
                </td>
                <td>
                  <Counts c={c} />
                </td>
                <td>
                  <RowActions>
                    <Button
                      size="sm"
                      aria-expanded={expanded}
                      aria-controls={expanded ? detailsId : undefined}
                      aria-label={`${expanded ? "Hide details" : "Details"} of ${c.cluster.name}`}
                      onClick={() => setOpen((o) => ({ ...o, [c.cluster.id]: !o[c.cluster.id] }))}
                    >
                      {expanded ? "Hide details" : "Details"}
                    </Button>
                    {canSync ? (
                      <Button
                        size="sm"
                        variant="primary"
                        disabled={busy}
                        aria-label={`${label} ${c.cluster.name}`}
                        onClick={() => void syncNow(c)}
                      >
                        {label}
                      </Button>
                    ) : null}
                  </RowActions>
                </td>
              </Row>
            );
          })}
        </DataTable>
      )}
    </div>
  );
}

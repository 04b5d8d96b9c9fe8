"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { Button, buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { Loading } from "@/components/ui/spinner";
import { getReadinessViewAction } from "@/lib/readiness/actions";
import { READINESS_REFETCH_MS, readinessKeys, unwrap } from "@/lib/readiness/queries";
import type { ReadinessCluster, ReadinessView, WorkloadReadiness } from "@/lib/readiness/schema";
import { type Filters, noFilters, searchOfFilters, selectWorkloads, serverQuery } from "@/lib/readiness/url";
import { Explanation } from "./explanation";
import { FilterBar, VerdictChips } from "./filters";
import { RecheckButton } from "./recheck-button";
import { workloadKey, WorkloadsTable } from "./workloads-table";

type Props = { orgId: string; clusterNames: string[]; canRecheck: boolean; initialFilters: Filters };

const unique = (values: string[]) => [...new Set(values)].sort();

function writeUrl(f: Filters) {
  const search = searchOfFilters(f);
  window.history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
}

function ClusterProblems({ clusters }: { clusters: ReadinessCluster[] }) {
  const failed = clusters.filter((c) => !c.ok);
  if (failed.length === 0) return null;
  return (
    <ul aria-label="Cluster problems" className="stack" style={{ gap: 8, listStyle: "none", margin: 0, padding: 0 }}>
      {failed.map((c) => (
        <li key={c.id} className="callout" data-cluster-error={c.name} style={{ borderColor: "var(--danger)" }}>
          <strong>Cluster {c.name}</strong> could not be read{c.error ? ` (${c.error})` : ""}, so its workloads are not
          shown. The other clusters are shown below.
        </li>
      ))}
    </ul>
  );
}

function CheckedAt({ view }: { view: ReadinessView }) {
  return (
    <span className="muted" data-checked-at={view.checked_at ?? ""}>
      {view.checked_at ? (
        <>
          Repositories checked <RelativeTime iso={view.checked_at} />
        </>
      ) : (
        "Repositories not checked yet"
      )}
    </span>
  );
}

function Results({
  view,
  clusterNames,
  filters,
  setFilters,
}: {
  view: ReadinessView;
  clusterNames: string[];
  filters: Filters;
  setFilters: (f: Partial<Filters>) => void;
}) {
  const [open, setOpen] = useState<WorkloadReadiness | null>(null);
  const all = view.workloads;
  const { counts, workloads } = useMemo(() => selectWorkloads(all, filters), [all, filters]);
  const namespaces = useMemo(
    () => unique(all.filter((w) => !filters.cluster || w.cluster === filters.cluster).map((w) => w.namespace)),
    [all, filters.cluster],
  );
  const clusters = useMemo(() => unique([...clusterNames, ...view.clusters.map((c) => c.name)]), [clusterNames, view]);
  // The open workload follows the refreshed view, so the explanation never shows stale reasons.
  const current = open ? (all.find((w) => workloadKey(w) === workloadKey(open)) ?? open) : null;
  const okClusters = view.clusters.filter((c) => c.ok).length;
  const where = filters.cluster
    ? `cluster ${filters.cluster}`
    : okClusters === 1
      ? "its cluster"
      : `its ${okClusters} clusters`;

  const filterBar = <FilterBar filters={filters} clusters={clusters} namespaces={namespaces} onChange={setFilters} />;
  if (all.length === 0) {
    return (
      <>
        {filters.cluster ? filterBar : null}
        {okClusters === 0 && view.clusters.length > 0 ? (
          <EmptyState title="No cluster could be read">
            None of the clusters could be read, so no workloads are shown; see the errors above.
          </EmptyState>
        ) : (
          <EmptyState title="No workloads found">
            Regcred found no Deployments, StatefulSets, DaemonSets, Jobs, CronJobs or Pods in {where}. Their readiness
            shows here as soon as workloads exist.
          </EmptyState>
        )}
      </>
    );
  }
  return (
    <>
      <VerdictChips counts={counts} selected={filters.verdict} onChange={(verdict) => setFilters({ verdict })} />
      {filterBar}
      {workloads.length === 0 ? (
        <EmptyState
          title="No workloads match these filters"
          action={<Button onClick={() => setFilters(noFilters)}>Clear filters</Button>}
        >
          {all.length} workloads were read, but none matches the current cluster, namespace and verdict.
        </EmptyState>
      ) : (
        <WorkloadsTable
          key={`${filters.cluster}/${filters.namespace}/${filters.verdict}`}
          workloads={workloads}
          onOpen={setOpen}
        />
      )}
      {current ? <Explanation workload={current} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

export function ReadinessScreen({ orgId, clusterNames, canRecheck, initialFilters }: Props) {
  const [filters, setState] = useState<Filters>(initialFilters);
  const setFilters = (patch: Partial<Filters>) =>
    setState((f) => {
      const next = {
        ...f,
        ...patch,
        ...(patch.cluster !== undefined && patch.cluster !== f.cluster ? { namespace: "" } : {}),
      };
      writeUrl(next);
      return next;
    });
  const query = serverQuery(filters);
  const hasClusters = clusterNames.length > 0;
  const { data, error } = useQuery({
    queryKey: readinessKeys.view(orgId, query),
    queryFn: async () => unwrap(await getReadinessViewAction(query)),
    refetchInterval: READINESS_REFETCH_MS,
    placeholderData: keepPreviousData,
    enabled: hasClusters,
  });

  return (
    <div className="stack">
      <header className="page-head">
        <div>
          <h1>Readiness</h1>
          <p>
            Which workloads will be able to pull their images, and why not: checked before the kubelet tries, from the
            secrets, their wiring and the registries&apos; answers.
          </p>
        </div>
        {hasClusters ? (
          <div className="row" style={{ flexWrap: "wrap" }}>
            {data ? <CheckedAt view={data} /> : null}
            {canRecheck ? <RecheckButton orgId={orgId} /> : null}
          </div>
        ) : null}
      </header>
      {!hasClusters ? (
        <EmptyState
          title="No clusters yet"
          action={
            <Link href="/clusters" className={buttonClass("primary")}>
              Add a cluster
            </Link>
          }
        >
          Readiness reads the workloads of your clusters. Add a cluster first; whether its pods can pull their images
          then shows here.
        </EmptyState>
      ) : error && !data ? (
        <div className="callout stack" role="alert" style={{ borderColor: "var(--danger)", gap: 8 }}>
          <span>Readiness could not be loaded: {error.message}</span>
          {filters.cluster ? (
            <span>
              <Button size="sm" onClick={() => setFilters(noFilters)}>
                Clear filters
              </Button>
            </span>
          ) : null}
        </div>
      ) : !data ? (
        <Loading label="Reading the clusters…" />
      ) : (
        <>
          <ClusterProblems clusters={data.clusters} />
          <Results view={data} clusterNames={clusterNames} filters={filters} setFilters={setFilters} />
        </>
      )}
    </div>
  );
}

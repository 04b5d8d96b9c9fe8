"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { Loading } from "@/components/ui/spinner";
import { getSecretsViewAction } from "@/lib/secrets/actions";
import { SECRETS_REFETCH_MS, secretKeys, unwrap } from "@/lib/secrets/queries";
import type { ClusterOutcome, SecretRow, SecretsView } from "@/lib/secrets/schema";
import { selectRows } from "@/lib/secrets/view";
import { type Filters, noFilters, searchOfFilters } from "@/lib/secrets/url";
import { FilterBar, StatusChips, StatusLegend } from "./filters";
import { SecretDetail } from "./secret-detail";
import { SecretsTable } from "./secrets-table";
import { Button, buttonClass } from "@/components/ui/button";

type Props = { orgId: string; clusterCount: number; initialFilters: Filters };

const unique = (values: Array<string | null>) => [...new Set(values.filter((v): v is string => Boolean(v)))].sort();

function ClusterProblems({ clusters }: { clusters: ClusterOutcome[] }) {
  const failed = clusters.filter((c) => !c.ok);
  const warned = clusters.filter((c) => c.ok && c.warnings.length > 0);
  if (failed.length === 0 && warned.length === 0) return null;
  return (
    <ul aria-label="Cluster problems" className="stack" style={{ gap: 8, listStyle: "none", margin: 0, padding: 0 }}>
      {failed.map((c) => (
        <li key={c.id} className="callout" data-cluster-error={c.name} style={{ borderColor: "var(--danger)" }}>
          <strong>Cluster {c.name}</strong>: its secrets could not be read ({c.error}). The other clusters are shown
          below.
        </li>
      ))}
      {warned.map((c) => (
        <li key={c.id} className="callout" data-cluster-warning={c.name} style={{ borderColor: "var(--warn)" }}>
          <strong>Cluster {c.name}</strong>: {c.warnings.join("; ")}
        </li>
      ))}
    </ul>
  );
}

function writeUrl(f: Filters) {
  const search = searchOfFilters(f);
  window.history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
}

function Results({
  view,
  filters,
  setFilters,
}: {
  view: SecretsView;
  filters: Filters;
  setFilters: (f: Partial<Filters>) => void;
}) {
  const [open, setOpen] = useState<SecretRow | null>(null);
  const all = view.secrets;
  const { counts, secrets } = useMemo(() => selectRows(all, filters), [all, filters]);
  const options = useMemo(
    () => ({
      clusters: unique(view.clusters.map((c) => c.name)),
      namespaces: unique(all.filter((r) => !filters.cluster || r.cluster === filters.cluster).map((r) => r.namespace)),
      registries: unique(all.map((r) => r.registry.id)),
    }),
    [view.clusters, all, filters.cluster],
  );
  const current = open
    ? (all.find((r) => r.cluster_id === open.cluster_id && r.namespace === open.namespace && r.name === open.name) ??
      open)
    : null;
  const okClusters = view.clusters.filter((c) => c.ok).length;

  if (all.length === 0) {
    return (
      <EmptyState title="No regcred secrets found">
        {okClusters === 0
          ? "None of the clusters could be read, so no secrets are shown; see the errors above."
          : `Regcred found no regcred-<registry id> pull secrets in ${okClusters === 1 ? "its cluster" : `its ${okClusters} clusters`}. It writes one into a namespace as soon as a workload there pulls images from one of your registries; foreign dockerconfigjson secrets named regcred-* would show here too, as not managed.`}
      </EmptyState>
    );
  }
  return (
    <>
      <StatusChips counts={counts} selected={filters.status} onChange={(status) => setFilters({ status })} />
      <StatusLegend />
      <FilterBar filters={filters} options={options} onChange={setFilters} />
      {secrets.length === 0 ? (
        <EmptyState
          title="No secrets match these filters"
          action={<Button onClick={() => setFilters(noFilters)}>Clear filters</Button>}
        >
          {all.length} regcred secrets exist, but none matches the current cluster, namespace, registry, status and
          search.
        </EmptyState>
      ) : (
        <SecretsTable rows={secrets} onOpen={setOpen} />
      )}
      {current ? <SecretDetail row={current} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

export function SecretsScreen({ orgId, clusterCount, initialFilters }: Props) {
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
  const { data, error, isFetching, dataUpdatedAt, refetch } = useQuery({
    queryKey: secretKeys.view(orgId),
    queryFn: async () => unwrap(await getSecretsViewAction()),
    refetchInterval: SECRETS_REFETCH_MS,
    enabled: clusterCount > 0,
  });

  return (
    <div className="stack">
      <header className="page-head">
        <div>
          <h1>Secrets</h1>
          <p>
            Every regcred pull secret in your clusters: which registry it is for, when it expires, and who uses it.
            Refreshes every {SECRETS_REFETCH_MS / 1000} s.
          </p>
        </div>
        {clusterCount > 0 ? (
          <div className="row">
            {data ? (
              <span className="muted" aria-live="polite">
                Updated <RelativeTime iso={new Date(dataUpdatedAt).toISOString()} />
              </span>
            ) : null}
            <Button onClick={() => void refetch()} disabled={isFetching}>
              {isFetching ? "Refreshing…" : "Refresh"}
            </Button>
          </div>
        ) : null}
      </header>
      {clusterCount === 0 ? (
        <EmptyState
          title="No clusters yet"
          action={
            <Link href="/clusters" className={buttonClass("primary")}>
              Go to Clusters
            </Link>
          }
        >
          The secrets view reads your clusters. Add a cluster first; its regcred secrets then show here.
        </EmptyState>
      ) : error && !data ? (
        <div className="callout" role="alert" style={{ borderColor: "var(--danger)" }}>
          The secrets could not be loaded: {error.message}
        </div>
      ) : !data ? (
        <Loading label="Reading the clusters…" />
      ) : (
        <>
          <ClusterProblems clusters={data.clusters} />
          <Results view={data} filters={filters} setFilters={setFilters} />
        </>
      )}
    </div>
  );
}

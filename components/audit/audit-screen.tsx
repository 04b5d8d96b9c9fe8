"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { Spinner } from "@/components/ui/spinner";
import { listAuditPageAction } from "@/lib/audit/actions";
import { type AuditFilters, auditParamsOf, noAuditFilters } from "@/lib/audit/filters";
import { auditKeys, unwrap } from "@/lib/audit/queries";
import { AuditFilterForm } from "./audit-filters";
import { AuditTable } from "./audit-table";
import { Button } from "@/components/ui/button";

const filterNames = ["action", "actor", "target", "since", "until"] as const;

function writeUrl(filters: AuditFilters) {
  const search = new URLSearchParams(filterNames.flatMap((n) => (filters[n] ? [[n, filters[n]]] : []))).toString();
  window.history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
}

export function AuditScreen({ orgId, initialFilters }: { orgId: string; initialFilters: AuditFilters }) {
  const [filters, setFilters] = useState<AuditFilters>(initialFilters);
  const filtered = filterNames.some((n) => filters[n] !== "");
  const query = useInfiniteQuery({
    queryKey: auditKeys.list(orgId, filters),
    queryFn: async ({ pageParam }) => unwrap(await listAuditPageAction(auditParamsOf(filters, pageParam))),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const entries = query.data?.pages.flatMap((p) => p.entries) ?? [];
  const apply = (next: AuditFilters) => {
    writeUrl(next);
    setFilters(next);
  };
  const shown = `${entries.length} ${entries.length === 1 ? "entry" : "entries"} shown${query.hasNextPage ? "; older entries can be loaded" : ""}`;

  return (
    <div className="stack">
      <header className="page-head">
        <div>
          <h1>Audit log</h1>
          <p>Who did what in org {orgId}, newest first. Entries name ids and flags, never a credential.</p>
        </div>
      </header>
      <AuditFilterForm key={JSON.stringify(filters)} applied={filters} onApply={apply} />
      {query.error && !query.data ? (
        <div className="callout" role="alert" style={{ borderColor: "var(--danger)" }}>
          The audit log could not be loaded: {query.error.message}
        </div>
      ) : !query.data ? (
        <div className="row">
          <Spinner label="Loading the audit log…" />
          <span className="muted" aria-hidden="true">
            Loading the audit log…
          </span>
        </div>
      ) : entries.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No entries match these filters"
            action={<Button onClick={() => apply(noAuditFilters)}>Clear filters</Button>}
          >
            Filters are exact matches over the whole log: check the action, actor and target as written, and the time
            range.
          </EmptyState>
        ) : (
          <EmptyState title="No audit entries yet">
            Changes to registries, clusters, tokens and users, and every read of CI credentials, are recorded here.
          </EmptyState>
        )
      ) : (
        <>
          <AuditTable entries={entries} caption={`Audit log, ${shown}`} />
          <div className="row" style={{ justifyContent: "space-between", flexWrap: "wrap" }}>
            <span className="muted" role="status">
              {shown}
            </span>
            {query.hasNextPage ? (
              <Button onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
                {query.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            ) : (
              <span className="muted">This is the oldest entry.</span>
            )}
          </div>
          {query.error ? (
            <div className="callout" role="alert" style={{ borderColor: "var(--danger)" }}>
              More entries could not be loaded: {query.error.message}
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}

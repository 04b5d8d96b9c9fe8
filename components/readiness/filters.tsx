"use client";

import { FilterSelect } from "@/components/ui/filter-select";
import { Button } from "@/components/ui/button";
import { type Verdict, verdictLabels, Verdicts } from "@/lib/readiness/schema";
import type { Filters, VerdictCounts } from "@/lib/readiness/url";
import { verdictTones } from "./verdict";

/** Counts by verdict that double as the verdict filter: pressing one shows only those, pressing it again shows all. */
export function VerdictChips({
  counts,
  selected,
  onChange,
}: {
  counts: VerdictCounts;
  selected: Verdict | "";
  onChange: (v: Verdict | "") => void;
}) {
  return (
    <div role="group" aria-label="Filter by verdict" className="row" style={{ flexWrap: "wrap" }}>
      <Button size="sm" aria-pressed={selected === ""} onClick={() => onChange("")}>
        All <strong>{counts.total}</strong>
      </Button>
      {Verdicts.map((v) => (
        <button
          key={v}
          type="button"
          className={`btn btn-sm badge-${verdictTones[v]}`}
          aria-pressed={selected === v}
          data-verdict-filter={v}
          onClick={() => onChange(selected === v ? "" : v)}
          style={selected === v ? { outline: "2px solid currentColor", outlineOffset: -2 } : undefined}
        >
          {verdictLabels[v]} <strong>{counts[v]}</strong>
        </button>
      ))}
    </div>
  );
}

export function FilterBar({
  filters,
  clusters,
  namespaces,
  onChange,
}: {
  filters: Filters;
  clusters: string[];
  namespaces: string[];
  onChange: (f: Partial<Filters>) => void;
}) {
  return (
    <div className="card filter-bar" role="search" aria-label="Filter workloads">
      <FilterSelect
        label="Cluster"
        value={filters.cluster}
        options={clusters}
        all="All clusters"
        onChange={(cluster) => onChange({ cluster })}
      />
      <FilterSelect
        label="Namespace"
        value={filters.namespace}
        options={namespaces}
        all="All namespaces"
        onChange={(namespace) => onChange({ namespace })}
      />
    </div>
  );
}

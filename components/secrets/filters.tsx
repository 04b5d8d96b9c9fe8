"use client";

import { FilterSelect } from "@/components/ui/filter-select";
import { Field } from "@/components/ui/field";
import {
  type SecretSort,
  type SecretStatus,
  SecretStatuses,
  type StatusCounts,
  statusHelp,
  statusLabels,
} from "@/lib/secrets/schema";
import type { Filters } from "@/lib/secrets/url";
import { statusTones } from "./status-badge";
import { Button } from "@/components/ui/button";

const sortLabels: Record<SecretSort, string> = {
  name: "Cluster, namespace, name",
  expires: "Expiry, soonest first",
  "-expires": "Expiry, latest first",
  age: "Newest first",
};

type Options = { clusters: string[]; namespaces: string[]; registries: string[] };

/** Status chips that double as counts: pressing one or more filters by those statuses. */
export function StatusChips({
  counts,
  selected,
  onChange,
}: {
  counts: StatusCounts;
  selected: SecretStatus[];
  onChange: (s: SecretStatus[]) => void;
}) {
  const toggle = (s: SecretStatus) =>
    onChange(selected.includes(s) ? selected.filter((x) => x !== s) : [...selected, s]);
  return (
    <div role="group" aria-label="Filter by status" className="row" style={{ flexWrap: "wrap" }}>
      <Button size="sm" aria-pressed={selected.length === 0} onClick={() => onChange([])}>
        All <strong>{counts.total}</strong>
      </Button>
      {SecretStatuses.map((s) => (
        <button
          key={s}
          type="button"
          className={`btn btn-sm badge-${statusTones[s]}`}
          aria-pressed={selected.includes(s)}
          data-status-filter={s}
          onClick={() => toggle(s)}
          style={selected.includes(s) ? { outline: "2px solid currentColor", outlineOffset: -2 } : undefined}
        >
          {statusLabels[s]} <strong>{counts[s]}</strong>
        </button>
      ))}
    </div>
  );
}

export function StatusLegend() {
  return (
    <details>
      <summary className="muted" style={{ cursor: "pointer" }}>
        What the statuses mean
      </summary>
      <dl style={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: "6px 14px", margin: "10px 0 0" }}>
        {SecretStatuses.map((s) => (
          <div key={s} style={{ display: "contents" }}>
            <dt>
              <strong>{statusLabels[s]}</strong>
            </dt>
            <dd style={{ margin: 0 }}>{statusHelp[s]}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

export function FilterBar({
  filters,
  options,
  onChange,
}: {
  filters: Filters;
  options: Options;
  onChange: (f: Partial<Filters>) => void;
}) {
  return (
    <div className="card filter-bar" role="search" aria-label="Filter secrets">
      <Field label="Search" className="filter-wide">
        <input
          type="search"
          value={filters.q}
          placeholder="name, namespace, host, workload…"
          onChange={(e) => onChange({ q: e.target.value })}
          spellCheck={false}
          autoComplete="off"
        />
      </Field>
      <FilterSelect
        label="Cluster"
        value={filters.cluster}
        options={options.clusters}
        all="All clusters"
        onChange={(cluster) => onChange({ cluster })}
      />
      <FilterSelect
        label="Namespace"
        value={filters.namespace}
        options={options.namespaces}
        all="All namespaces"
        onChange={(namespace) => onChange({ namespace })}
      />
      <FilterSelect
        label="Registry"
        value={filters.registry}
        options={options.registries}
        all="All registries"
        onChange={(registry) => onChange({ registry })}
      />
      <Field label="Sort by" className="filter-sort">
        <select value={filters.sort} onChange={(e) => onChange({ sort: e.target.value as SecretSort })}>
          {Object.entries(sortLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}

import { type SecretRow, type SecretSort, type SecretsQuery, SecretStatuses, type StatusCounts } from "./schema";

export type RowFilters = Omit<SecretsQuery, "sort">;

function blank(v: string | undefined): boolean {
  return v === undefined || v === "";
}

function searchText(row: SecretRow): string {
  const refs = [...row.references.service_accounts, ...row.references.workloads.map((w) => `${w.kind}/${w.name}`)];
  return [row.cluster, row.namespace, row.name, row.type, row.registry.id ?? "", ...row.registry.hosts, ...refs]
    .join("\n")
    .toLowerCase();
}

/** Whether a row passes the filters; `cluster` matches the cluster's id or name, `q` any visible text. */
export function matchesFilters(row: SecretRow, f: RowFilters): boolean {
  if (!blank(f.cluster) && row.cluster !== f.cluster && row.cluster_id !== f.cluster) return false;
  if (!blank(f.namespace) && row.namespace !== f.namespace) return false;
  if (!blank(f.registry) && row.registry.id !== f.registry) return false;
  if (f.status && f.status.length > 0 && !f.status.includes(row.status)) return false;
  const q = f.q?.trim().toLowerCase();
  return !q || q.split(/\s+/).every((word) => searchText(row).includes(word));
}

export function filterRows(rows: readonly SecretRow[], f: RowFilters): SecretRow[] {
  return rows.filter((row) => matchesFilters(row, f));
}

export function countRows(rows: readonly SecretRow[]): StatusCounts {
  const counts = Object.fromEntries([["total", rows.length], ...SecretStatuses.map((s) => [s, 0])]) as StatusCounts;
  for (const row of rows) counts[row.status] += 1;
  return counts;
}

const byName = (a: SecretRow, b: SecretRow) =>
  a.cluster.localeCompare(b.cluster) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
const time = (iso: string | null) => (iso === null ? null : Date.parse(iso));

// Rows without the compared time go last in either direction; ties fall back to the name order.
function byTime(pick: (r: SecretRow) => string | null, direction: 1 | -1) {
  return (a: SecretRow, b: SecretRow) => {
    const ta = time(pick(a));
    const tb = time(pick(b));
    if (ta !== tb) {
      if (ta === null) return 1;
      if (tb === null) return -1;
      return (ta - tb) * direction;
    }
    return byName(a, b);
  };
}

const comparators: Record<SecretSort, (a: SecretRow, b: SecretRow) => number> = {
  name: byName,
  expires: byTime((r) => r.expires_at, 1),
  "-expires": byTime((r) => r.expires_at, -1),
  age: byTime((r) => r.created_at, -1),
};

export function sortRows(rows: readonly SecretRow[], sort: SecretSort = "name"): SecretRow[] {
  return [...rows].sort(comparators[sort]);
}

/** Filters, counts (every filter but status) and sorts the rows of all clusters. */
export function selectRows(
  rows: readonly SecretRow[],
  query: SecretsQuery,
): { counts: StatusCounts; secrets: SecretRow[] } {
  const { status, sort, ...rest } = query;
  const unfiltered = filterRows(rows, rest);
  const secrets = status && status.length > 0 ? unfiltered.filter((r) => status.includes(r.status)) : unfiltered;
  return { counts: countRows(unfiltered), secrets: sortRows(secrets, sort) };
}

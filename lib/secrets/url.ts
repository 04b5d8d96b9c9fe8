import { type SecretSort, SecretSorts, type SecretStatus, SecretStatuses } from "./schema";

/** The Secrets screen's filters; they live in the URL so a filtered view can be shared. */
export type Filters = {
  cluster: string;
  namespace: string;
  registry: string;
  status: SecretStatus[];
  q: string;
  sort: SecretSort;
};
export const noFilters: Filters = { cluster: "", namespace: "", registry: "", status: [], q: "", sort: "name" };

type Search = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
const isStatus = (s: string): s is SecretStatus => (SecretStatuses as readonly string[]).includes(s);
const isSort = (s: string): s is SecretSort => (SecretSorts as readonly string[]).includes(s);

/** Filters from page search params; unknown values are dropped rather than refused, so a hand-edited link still opens. */
export function filtersFromSearch(search: Search): Filters {
  const sort = first(search.sort);
  return {
    cluster: first(search.cluster),
    namespace: first(search.namespace),
    registry: first(search.registry),
    q: first(search.q),
    status: [
      ...new Set(
        first(search.status)
          .split(",")
          .map((s) => s.trim())
          .filter(isStatus),
      ),
    ],
    sort: isSort(sort) ? sort : "name",
  };
}

/** The query string for filters ("" when none), the same parameters GET /secrets takes. */
export function searchOfFilters(f: Filters): string {
  const params = new URLSearchParams();
  for (const key of ["cluster", "namespace", "registry", "q"] as const) if (f[key]) params.set(key, f[key]);
  if (f.status.length > 0) params.set("status", f.status.join(","));
  if (f.sort !== "name") params.set("sort", f.sort);
  return params.toString();
}

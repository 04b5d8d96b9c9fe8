import { type ReadinessQuery, type Verdict, Verdicts, type WorkloadReadiness } from "./schema";

/** The Readiness screen's filters; they live in the URL so a filtered view can be shared. */
export type Filters = { cluster: string; namespace: string; verdict: Verdict | "" };
export const noFilters: Filters = { cluster: "", namespace: "", verdict: "" };

type Search = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => ((Array.isArray(v) ? v[0] : v) ?? "").trim();
const isVerdict = (s: string): s is Verdict => (Verdicts as readonly string[]).includes(s);

/** Filters from page search params; an unknown verdict is dropped rather than refused, so a hand-edited link still opens. */
export function filtersFromSearch(search: Search): Filters {
  const verdict = first(search.verdict);
  return {
    cluster: first(search.cluster),
    namespace: first(search.namespace),
    verdict: isVerdict(verdict) ? verdict : "",
  };
}

/** The query string for filters ("" when none): the same parameters GET /readiness takes. */
export function searchOfFilters(f: Filters): string {
  const params = new URLSearchParams();
  for (const key of ["cluster", "namespace", "verdict"] as const) if (f[key]) params.set(key, f[key]);
  return params.toString();
}

/** What the screen asks the server for: only the cluster (the rest filters locally, so options and counts stay whole). */
export function serverQuery(f: Filters): ReadinessQuery {
  return f.cluster ? { cluster: f.cluster } : {};
}

const rank: Record<Verdict, number> = { will_fail: 0, unknown: 1, ready: 2 };
const byProblemThenName = (a: WorkloadReadiness, b: WorkloadReadiness) =>
  rank[a.verdict] - rank[b.verdict] ||
  a.cluster.localeCompare(b.cluster) ||
  a.namespace.localeCompare(b.namespace) ||
  a.name.localeCompare(b.name) ||
  a.kind.localeCompare(b.kind);

export type VerdictCounts = Record<Verdict, number> & { total: number };

/**
 * The workloads the filters keep, and the counts by verdict over cluster and namespace (before the verdict filter),
 * as GET /readiness counts them. Workloads that will fail come first, then unknown, then ready.
 */
export function selectWorkloads(
  all: WorkloadReadiness[],
  f: Filters,
): { workloads: WorkloadReadiness[]; counts: VerdictCounts } {
  const scoped = all.filter(
    (w) => (!f.cluster || w.cluster === f.cluster) && (!f.namespace || w.namespace === f.namespace),
  );
  const counts: VerdictCounts = { ready: 0, will_fail: 0, unknown: 0, total: scoped.length };
  for (const w of scoped) counts[w.verdict] += 1;
  const kept = f.verdict ? scoped.filter((w) => w.verdict === f.verdict) : scoped;
  return { workloads: [...kept].sort(byProblemThenName), counts };
}

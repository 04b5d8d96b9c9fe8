import { describe, expect, it } from "vitest";
import type { Verdict, WorkloadReadiness } from "./schema";
import { type Filters, filtersFromSearch, noFilters, searchOfFilters, selectWorkloads, serverQuery } from "./url";

describe("filtersFromSearch", () => {
  it.each<[string, Record<string, string | string[] | undefined>, Partial<Filters>]>([
    ["nothing", {}, {}],
    [
      "every filter",
      { cluster: "prod", namespace: "shop", verdict: "will_fail" },
      { cluster: "prod", namespace: "shop", verdict: "will_fail" },
    ],
    ["an unknown verdict is dropped", { verdict: "broken", namespace: "shop" }, { namespace: "shop" }],
    [
      "repeated parameters: the first wins",
      { cluster: ["a", "b"], verdict: ["ready", "unknown"] },
      { cluster: "a", verdict: "ready" },
    ],
    ["blanks are no filter", { cluster: "  ", verdict: "" }, {}],
  ])("%s", (_name, search, expected) => expect(filtersFromSearch(search)).toEqual({ ...noFilters, ...expected }));
});

describe("searchOfFilters", () => {
  it.each<[string, Partial<Filters>, string]>([
    ["no filters", {}, ""],
    ["verdict only", { verdict: "unknown" }, "verdict=unknown"],
    [
      "all three, encoded",
      { cluster: "prod eu", namespace: "shop", verdict: "will_fail" },
      "cluster=prod+eu&namespace=shop&verdict=will_fail",
    ],
  ])("%s", (_name, f, expected) => expect(searchOfFilters({ ...noFilters, ...f })).toBe(expected));

  it("round-trips", () => {
    const f: Filters = { cluster: "prod", namespace: "ns", verdict: "ready" };
    expect(filtersFromSearch(Object.fromEntries(new URLSearchParams(searchOfFilters(f))))).toEqual(f);
  });
});

describe("serverQuery", () => {
  it("asks the server for the cluster only", () => {
    expect(serverQuery({ cluster: "prod", namespace: "shop", verdict: "ready" })).toEqual({ cluster: "prod" });
    expect(serverQuery(noFilters)).toEqual({});
  });
});

const w = (cluster: string, namespace: string, name: string, verdict: Verdict): WorkloadReadiness => ({
  cluster,
  cluster_id: `id-${cluster}`,
  namespace,
  kind: "Deployment",
  name,
  verdict,
  images: [],
  stuck_pods: [],
});

describe("selectWorkloads", () => {
  const all = [
    w("prod", "shop", "web", "ready"),
    w("prod", "shop", "api", "will_fail"),
    w("prod", "billing", "worker", "unknown"),
    w("dev", "shop", "api", "will_fail"),
  ];
  const names = (ws: WorkloadReadiness[]) => ws.map((x) => `${x.cluster}/${x.namespace}/${x.name}`);

  it.each<[string, Partial<Filters>, string[], { ready: number; will_fail: number; unknown: number; total: number }]>([
    [
      "no filters: failing first, then unknown, then ready",
      {},
      ["dev/shop/api", "prod/shop/api", "prod/billing/worker", "prod/shop/web"],
      { ready: 1, will_fail: 2, unknown: 1, total: 4 },
    ],
    [
      "cluster",
      { cluster: "prod" },
      ["prod/shop/api", "prod/billing/worker", "prod/shop/web"],
      { ready: 1, will_fail: 1, unknown: 1, total: 3 },
    ],
    [
      "cluster and namespace",
      { cluster: "prod", namespace: "shop" },
      ["prod/shop/api", "prod/shop/web"],
      { ready: 1, will_fail: 1, unknown: 0, total: 2 },
    ],
    [
      "the verdict filters the list, not the counts",
      { verdict: "will_fail" },
      ["dev/shop/api", "prod/shop/api"],
      { ready: 1, will_fail: 2, unknown: 1, total: 4 },
    ],
    ["nothing matches", { namespace: "none" }, [], { ready: 0, will_fail: 0, unknown: 0, total: 0 }],
  ])("%s", (_name, f, expected, counts) => {
    const got = selectWorkloads(all, { ...noFilters, ...f });
    expect(names(got.workloads)).toEqual(expected);
    expect(got.counts).toEqual(counts);
  });
});

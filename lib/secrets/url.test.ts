import { describe, expect, it } from "vitest";
import { type Filters, filtersFromSearch, noFilters, searchOfFilters } from "./url";

describe("filtersFromSearch", () => {
  it.each<[string, Record<string, string | string[] | undefined>, Partial<Filters>]>([
    ["nothing", {}, {}],
    [
      "every filter",
      {
        cluster: "prod",
        namespace: "team-a",
        registry: "harbor",
        q: "api",
        status: "expired,orphaned",
        sort: "expires",
      },
      {
        cluster: "prod",
        namespace: "team-a",
        registry: "harbor",
        q: "api",
        status: ["expired", "orphaned"],
        sort: "expires",
      },
    ],
    [
      "unknown statuses and sorts are dropped",
      { status: "expired,broken,expired", sort: "size" },
      { status: ["expired"] },
    ],
    ["repeated parameters: the first wins", { cluster: ["a", "b"] }, { cluster: "a" }],
  ])("%s", (_name, search, expected) => expect(filtersFromSearch(search)).toEqual({ ...noFilters, ...expected }));
});

describe("searchOfFilters", () => {
  it.each<[string, Partial<Filters>, string]>([
    ["no filters", {}, ""],
    ["default sort is omitted", { sort: "name", cluster: "prod" }, "cluster=prod"],
    [
      "statuses comma-separated, text encoded",
      { status: ["expired", "not_managed"], q: "a b", sort: "-expires" },
      "q=a+b&status=expired%2Cnot_managed&sort=-expires",
    ],
  ])("%s", (_name, f, expected) => expect(searchOfFilters({ ...noFilters, ...f })).toBe(expected));

  it("round-trips", () => {
    const f: Filters = { cluster: "prod", namespace: "ns", registry: "r", status: ["valid"], q: "x", sort: "age" };
    expect(filtersFromSearch(Object.fromEntries(new URLSearchParams(searchOfFilters(f))))).toEqual(f);
  });
});

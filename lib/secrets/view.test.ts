import { describe, expect, it } from "vitest";
import { type SecretRow, type SecretsQuery, SecretsQuery as QuerySchema } from "./schema";
import { countRows, filterRows, type RowFilters, selectRows, sortRows } from "./view";

function row(cluster: string, namespace: string, name: string, patch: Partial<SecretRow> = {}): SecretRow {
  return {
    cluster_id: `id-${cluster}`,
    cluster,
    namespace,
    name,
    type: "kubernetes.io/dockerconfigjson",
    managed: true,
    registry: { id: name.replace(/^regcred-/, ""), exists: true, hosts: [`${name}.example.com`] },
    expires_at: null,
    status: "valid",
    status_reason: "",
    created_at: null,
    labels: {},
    references: { service_accounts: [], workloads: [] },
    notes: [],
    ...patch,
  };
}

const rows: SecretRow[] = [
  row("prod", "team-a", "regcred-harbor", {
    expires_at: "2026-05-03T00:00:00.000Z",
    created_at: "2026-04-01T00:00:00.000Z",
  }),
  row("prod", "team-b", "regcred-ecr", {
    status: "expiring_soon",
    expires_at: "2026-05-01T12:30:00.000Z",
    created_at: "2026-04-30T00:00:00.000Z",
    references: { service_accounts: ["builder"], workloads: [{ kind: "Deployment", name: "payments-api" }] },
  }),
  row("staging", "team-a", "regcred-harbor", { status: "expired", expires_at: "2026-04-01T00:00:00.000Z" }),
  row("staging", "team-a", "regcred-old", { status: "orphaned", registry: { id: "old", exists: false, hosts: [] } }),
  row("staging", "legacy", "regcred-manual", {
    status: "not_managed",
    managed: false,
    created_at: "2026-05-01T00:00:00.000Z",
  }),
];
const names = (rs: SecretRow[]) => rs.map((r) => `${r.cluster}/${r.namespace}/${r.name}`);

describe("filterRows", () => {
  it.each<[string, RowFilters, string[]]>([
    ["no filters", {}, names(rows)],
    ["blank strings mean no filter", { cluster: "", namespace: "", registry: "", q: "", status: [] }, names(rows)],
    ["cluster by name", { cluster: "prod" }, ["prod/team-a/regcred-harbor", "prod/team-b/regcred-ecr"]],
    [
      "cluster by id",
      { cluster: "id-staging" },
      ["staging/team-a/regcred-harbor", "staging/team-a/regcred-old", "staging/legacy/regcred-manual"],
    ],
    [
      "namespace",
      { namespace: "team-a" },
      ["prod/team-a/regcred-harbor", "staging/team-a/regcred-harbor", "staging/team-a/regcred-old"],
    ],
    ["registry", { registry: "harbor" }, ["prod/team-a/regcred-harbor", "staging/team-a/regcred-harbor"]],
    [
      "status, several",
      { status: ["expired", "orphaned"] },
      ["staging/team-a/regcred-harbor", "staging/team-a/regcred-old"],
    ],
    ["combined", { cluster: "staging", namespace: "team-a", status: ["expired"] }, ["staging/team-a/regcred-harbor"]],
    ["search a workload, any case", { q: "PAYMENTS" }, ["prod/team-b/regcred-ecr"]],
    ["search a ServiceAccount", { q: "builder" }, ["prod/team-b/regcred-ecr"]],
    ["search a host", { q: "manual.example.com" }, ["staging/legacy/regcred-manual"]],
    ["search words must all match", { q: "staging harbor" }, ["staging/team-a/regcred-harbor"]],
    ["search with no hit", { q: "nothing-like-this" }, []],
  ])("%s", (_name, f, expected) => expect(names(filterRows(rows, f))).toEqual(expected));
});

describe("sortRows", () => {
  it.each<[string, SecretsQuery["sort"], string[]]>([
    [
      "name (default)",
      undefined,
      [
        "prod/team-a/regcred-harbor",
        "prod/team-b/regcred-ecr",
        "staging/legacy/regcred-manual",
        "staging/team-a/regcred-harbor",
        "staging/team-a/regcred-old",
      ],
    ],
    [
      "expires: soonest first, no expiry last (by name)",
      "expires",
      [
        "staging/team-a/regcred-harbor",
        "prod/team-b/regcred-ecr",
        "prod/team-a/regcred-harbor",
        "staging/legacy/regcred-manual",
        "staging/team-a/regcred-old",
      ],
    ],
    [
      "-expires: latest first, no expiry still last",
      "-expires",
      [
        "prod/team-a/regcred-harbor",
        "prod/team-b/regcred-ecr",
        "staging/team-a/regcred-harbor",
        "staging/legacy/regcred-manual",
        "staging/team-a/regcred-old",
      ],
    ],
    [
      "age: newest first, unknown last",
      "age",
      [
        "staging/legacy/regcred-manual",
        "prod/team-b/regcred-ecr",
        "prod/team-a/regcred-harbor",
        "staging/team-a/regcred-harbor",
        "staging/team-a/regcred-old",
      ],
    ],
  ])("%s", (_name, sort, expected) => expect(names(sortRows(rows, sort))).toEqual(expected));

  it("does not mutate its input", () => {
    const copy = [...rows];
    sortRows(rows, "expires");
    expect(rows).toEqual(copy);
  });
});

describe("countRows and selectRows", () => {
  it("counts every status, zero included", () => {
    expect(countRows(rows)).toEqual({ total: 5, valid: 1, expiring_soon: 1, expired: 1, orphaned: 1, not_managed: 1 });
    expect(countRows([])).toEqual({ total: 0, valid: 0, expiring_soon: 0, expired: 0, orphaned: 0, not_managed: 0 });
  });

  it("counts ignore the status filter but honour the others", () => {
    const r = selectRows(rows, { cluster: "staging", status: ["expired"], sort: "name" });
    expect(r.counts).toEqual({ total: 3, valid: 0, expiring_soon: 0, expired: 1, orphaned: 1, not_managed: 1 });
    expect(names(r.secrets)).toEqual(["staging/team-a/regcred-harbor"]);
  });
});

describe("SecretsQuery", () => {
  it.each<[string, Record<string, string>, SecretsQuery | string]>([
    ["empty", {}, {}],
    ["status list", { status: "expired, orphaned" }, { status: ["expired", "orphaned"] }],
    ["trimmed text", { namespace: " team-a ", q: " x " }, { namespace: "team-a", q: "x" }],
    ["sort", { sort: "-expires" }, { sort: "-expires" }],
    ["bad status", { status: "valid,broken" }, "must be one or more of"],
    ["bad sort", { sort: "size" }, "must be one of name, expires, -expires, age"],
    ["unknown parameter", { page: "2" }, "page"],
  ])("%s", (_name, input, expected) => {
    const parsed = QuerySchema.safeParse(input);
    if (typeof expected === "string") {
      expect(parsed.success).toBe(false);
      expect(JSON.stringify(parsed.error?.issues)).toContain(expected);
    } else expect(parsed.data).toEqual(expected);
  });
});

import { describe, expect, it } from "vitest";
import type { DesiredState } from "@/lib/sync/desired";
import type { SyncPlan } from "@/lib/sync/plan";
import { namespaceResults, removalsOnly, summarize, type AppliedNamespace } from "./results";

const desired: DesiredState = {
  registryIds: ["a", "b"],
  secrets: [],
  held: [{ namespace: "held", name: "regcred-b", registryId: "b", reason: "ECR down" }],
  serviceAccounts: [],
  workloads: [],
  warnings: [
    { kind: "image", namespace: "warn", workload: "Deployment/web", image: "UPPER:bad", reason: "invalid reference" },
  ],
};
const plan: SyncPlan = {
  secrets: [
    { op: "create", namespace: "ok", name: "regcred-a", reason: "missing", secret: {} as never },
    { op: "noop", namespace: "held", name: "regcred-b", reason: "kept" },
    { op: "delete", namespace: "gone", name: "regcred-a", reason: "deleted" },
    { op: "create", namespace: "failed", name: "regcred-a", reason: "missing", secret: {} as never },
  ],
  conflicts: [{ namespace: "clash", name: "regcred-a", reason: "foreign" }],
  serviceAccounts: [],
  workloads: [],
  warnings: [{ namespace: "warn", workload: "Pod/p", reason: "sets its own imagePullSecrets" }],
};
const applied = new Map<string, AppliedNamespace>([
  [
    "ok",
    {
      changes: [{ op: "create", target: "secret/regcred-a", reason: "missing", ok: true }],
      errors: [],
      conflicts: [],
      missing: new Set(),
    },
  ],
  [
    "failed",
    {
      changes: [{ op: "create", target: "secret/regcred-a", reason: "missing", ok: false, error: "HTTP 500" }],
      errors: ["create secret/regcred-a: HTTP 500"],
      conflicts: [],
      missing: new Set(["regcred-a"]),
    },
  ],
  [
    "gone",
    {
      changes: [{ op: "delete", target: "secret/regcred-a", reason: "deleted", ok: true }],
      errors: [],
      conflicts: [],
      missing: new Set(),
    },
  ],
]);

describe("namespaceResults", () => {
  const rows = Object.fromEntries(
    namespaceResults(["clash", "failed", "gone", "held", "idle", "ok", "warn"], desired, plan, applied).map((r) => [
      r.namespace,
      r,
    ]),
  );
  it.each([
    ["ok", "changed", ["regcred-a"]],
    ["failed", "error", []],
    ["gone", "changed", []],
    ["held", "error", ["regcred-b"]],
    ["clash", "conflict", []],
    ["idle", "ok", []],
    ["warn", "ok", []],
  ])("%s is %s holding %j", (ns, outcome, secrets) => {
    expect(rows[ns]).toMatchObject({ outcome, secrets });
  });
  it("names unavailable credentials, conflicts and warnings", () => {
    expect(rows.held!.errors).toEqual(["regcred-b: credentials unavailable: ECR down"]);
    expect(rows.clash!.conflicts).toEqual([{ name: "regcred-a", reason: "foreign" }]);
    expect(rows.warn!.warnings).toEqual([
      "Deployment/web: image UPPER:bad: invalid reference",
      "Pod/p sets its own imagePullSecrets",
    ]);
  });
  it("summarizes successful writes only", () => {
    const summary = summarize(Object.values(rows), 1);
    expect(summary).toMatchObject({ created: 1, deleted: 1, errors: 2, conflicts: 1, warnings: 2, mints: 1 });
  });
});

describe("removalsOnly", () => {
  it("keeps removals, drops additions (webhook mode)", () => {
    const wired: SyncPlan = {
      ...plan,
      serviceAccounts: [
        {
          op: "patch-sa",
          namespace: "n",
          name: "default",
          imagePullSecrets: [{ name: "mine" }, { name: "regcred-new" }],
          added: ["regcred-new"],
          removed: ["regcred-old"],
        },
        {
          op: "patch-sa",
          namespace: "n",
          name: "other",
          imagePullSecrets: [{ name: "regcred-new" }],
          added: ["regcred-new"],
          removed: [],
        },
      ],
    };
    expect(removalsOnly(wired).serviceAccounts).toEqual([
      {
        op: "patch-sa",
        namespace: "n",
        name: "default",
        imagePullSecrets: [{ name: "mine" }],
        added: [],
        removed: ["regcred-old"],
      },
    ]);
  });
});

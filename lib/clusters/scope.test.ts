import { describe, expect, it } from "vitest";
import {
  DEFAULT_EXCLUDED_NAMESPACES,
  decideNamespace,
  describeScope,
  filterNamespaces,
  matchesSelector,
  type NamespaceInfo,
  parseLabelSelector,
} from "./scope";

describe("parseLabelSelector", () => {
  it.each([
    ["", []],
    ["env=prod", [{ key: "env", op: "=", value: "prod" }]],
    ["env==prod", [{ key: "env", op: "=", value: "prod" }]],
    ["env != prod", [{ key: "env", op: "!=", value: "prod" }]],
    ["team", [{ key: "team", op: "exists" }]],
    ["!legacy", [{ key: "legacy", op: "!exists" }]],
    ["env in (prod, staging)", [{ key: "env", op: "in", values: ["prod", "staging"] }]],
    ["tier notin (db)", [{ key: "tier", op: "notin", values: ["db"] }]],
    [
      "app.kubernetes.io/part-of=shop,!regcred.dev/skip",
      [
        { key: "app.kubernetes.io/part-of", op: "=", value: "shop" },
        { key: "regcred.dev/skip", op: "!exists" },
      ],
    ],
    ["replicas>2", [{ key: "replicas", op: ">", value: 2 }]],
    ["env=", [{ key: "env", op: "=", value: "" }]],
  ])("parses %j", (text, requirements) => {
    expect(parseLabelSelector(text)).toEqual({ ok: true, requirements });
  });

  it.each([
    ["env=prod,", "empty requirement"],
    ["env in (a,(b))", "parentheses"],
    ["env in (a", "parentheses"],
    ["env=pr od", "not a valid label value"],
    ["-bad=1", "not a label requirement"],
    ["env ~ prod", "not a label requirement"],
    [`env=${"x".repeat(64)}`, "longer than 63"],
    [`${"k".repeat(64)}=v`, "longer than 63"],
  ])("rejects %j", (text, problem) => {
    const parsed = parseLabelSelector(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(problem);
  });
});

describe("matchesSelector", () => {
  const labels = { env: "prod", team: "payments", replicas: "3" };
  it.each([
    ["", true],
    ["env=prod", true],
    ["env=staging", false],
    ["env!=staging", true],
    ["missing!=x", true],
    ["team", true],
    ["!team", false],
    ["!missing", true],
    ["env in (staging,prod)", true],
    ["env notin (prod)", false],
    ["missing notin (a)", true],
    ["missing in (a)", false],
    ["replicas>2", true],
    ["replicas<3", false],
    ["env>1", false],
    ["env=prod,team=payments", true],
    ["env=prod,team=search", false],
  ])("%j on %o → %s", (text, expected) => {
    const parsed = parseLabelSelector(text);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(matchesSelector(parsed.requirements, labels)).toBe(expected);
  });
});

describe("namespace scope", () => {
  const defaults = { namespaceSelector: null, excludeNamespaces: DEFAULT_EXCLUDED_NAMESPACES };
  const namespaces: NamespaceInfo[] = [
    { name: "kube-system", labels: {} },
    { name: "kube-public", labels: {} },
    { name: "kube-node-lease", labels: {} },
    { name: "default", labels: {} },
    { name: "shop", labels: { team: "shop", env: "prod" } },
    { name: "shop-staging", labels: { team: "shop", env: "staging" } },
    { name: "legacy", labels: { team: "shop", "regcred.dev/ignore": "true" } },
    { name: "almost-ignored", labels: { "regcred.dev/ignore": "false" } },
  ];

  it("takes every namespace but the system ones and the opted-out ones by default", () => {
    expect(filterNamespaces(defaults, namespaces)).toEqual({
      included: ["almost-ignored", "default", "shop", "shop-staging"],
      excluded: [
        { name: "kube-node-lease", reason: "excluded" },
        { name: "kube-public", reason: "excluded" },
        { name: "kube-system", reason: "excluded" },
        { name: "legacy", reason: "ignored" },
      ],
    });
  });

  it("applies a label selector together with the exclusions", () => {
    const scope = { namespaceSelector: "team=shop", excludeNamespaces: ["shop-staging"] };
    const result = filterNamespaces(scope, namespaces);
    expect(result.included).toEqual(["shop"]);
    expect(result.excluded).toContainEqual({ name: "shop-staging", reason: "excluded" });
    expect(result.excluded).toContainEqual({ name: "legacy", reason: "ignored" });
    expect(result.excluded).toContainEqual({ name: "default", reason: "selector" });
  });

  it("lets an empty exclusion list include the system namespaces", () => {
    expect(
      decideNamespace({ namespaceSelector: null, excludeNamespaces: [] }, { name: "kube-system", labels: {} }),
    ).toEqual({ inScope: true });
  });

  it("selects nothing when a stored selector cannot be parsed", () => {
    expect(
      decideNamespace({ namespaceSelector: "env in (", excludeNamespaces: [] }, { name: "shop", labels: {} }),
    ).toEqual({ inScope: false, reason: "selector" });
  });

  it.each([
    [defaults, "All namespaces except kube-system, kube-public, kube-node-lease"],
    [{ namespaceSelector: "env=prod", excludeNamespaces: [] }, "Namespaces matching env=prod"],
  ])("describes %o", (scope, text) => {
    expect(describeScope(scope)).toBe(text);
  });
});

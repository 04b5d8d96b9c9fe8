import { IGNORE_LABEL } from "../sync/labels";

export const ExclusionReasons = ["excluded", "ignored", "selector"] as const;
export type ExclusionReason = (typeof ExclusionReasons)[number];
/** The namespaces Regcred manages in a cluster, and why the others are left alone. */
export type ScopedNamespaces = { included: string[]; excluded: { name: string; reason: ExclusionReason }[] };

export const DEFAULT_EXCLUDED_NAMESPACES: readonly string[] = ["kube-system", "kube-public", "kube-node-lease"];

export { IGNORE_LABEL };

export type NamespaceScope = { namespaceSelector: string | null; excludeNamespaces: readonly string[] };

export type Requirement =
  | { key: string; op: "exists" | "!exists" }
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: ">" | "<"; value: number };

export type SelectorParse = { ok: true; requirements: Requirement[] } | { ok: false; message: string };

const namePart = "[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?";
const prefixPart = "[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*";
const keyPattern = `(?:${prefixPart}/)?${namePart}`;
const valueRe = new RegExp(`^(?:${namePart})?$`);
const existsRe = new RegExp(`^(!?)\\s*(${keyPattern})$`);
const setRe = new RegExp(`^(${keyPattern})\\s+(in|notin)\\s*\\((.*)\\)$`);
const equalityRe = new RegExp(`^(${keyPattern})\\s*(==|!=|=)\\s*(.*)$`);
const compareRe = new RegExp(`^(${keyPattern})\\s*(>|<)\\s*(-?\\d+)$`);

function splitTopLevel(text: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth += 1;
    if (ch === ")") depth -= 1;
    if (depth < 0 || depth > 1) return null;
    if (ch === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (depth !== 0) return null;
  parts.push(current.trim());
  return parts;
}

function checkKey(key: string): string | null {
  const [prefix, name] = key.includes("/") ? key.split("/") : [null, key];
  if ((name ?? "").length > 63) return `label key "${key}" has a name longer than 63 characters`;
  if (prefix && prefix.length > 253) return `label key "${key}" has a prefix longer than 253 characters`;
  return null;
}

function checkValue(value: string): string | null {
  if (value.length > 63) return `label value "${value}" is longer than 63 characters`;
  return valueRe.test(value) ? null : `"${value}" is not a valid label value`;
}

function parseRequirement(part: string): Requirement | string {
  let m = existsRe.exec(part);
  if (m) return checkKey(m[2]!) ?? { key: m[2]!, op: m[1] ? "!exists" : "exists" };
  m = setRe.exec(part);
  if (m) {
    const values = m[3]!.split(",").map((v) => v.trim());
    const bad = values.map(checkValue).find(Boolean);
    return checkKey(m[1]!) ?? bad ?? { key: m[1]!, op: m[2] as "in" | "notin", values };
  }
  m = compareRe.exec(part);
  if (m) return checkKey(m[1]!) ?? { key: m[1]!, op: m[2] as ">" | "<", value: Number(m[3]) };
  m = equalityRe.exec(part);
  if (m) {
    const value = m[3]!.trim();
    return checkKey(m[1]!) ?? checkValue(value) ?? { key: m[1]!, op: m[2] === "!=" ? "!=" : "=", value };
  }
  return `"${part}" is not a label requirement (use key=value, key!=value, key in (a,b), key notin (a,b), key or !key)`;
}

/** Parses a Kubernetes label selector such as `env in (prod,staging),!legacy`; "" selects everything. */
export function parseLabelSelector(text: string): SelectorParse {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, requirements: [] };
  const parts = splitTopLevel(trimmed);
  if (!parts) return { ok: false, message: "has unbalanced or nested parentheses" };
  const requirements: Requirement[] = [];
  for (const part of parts) {
    if (part === "")
      return { ok: false, message: "has an empty requirement (two commas in a row, or a trailing comma)" };
    const parsed = parseRequirement(part);
    if (typeof parsed === "string") return { ok: false, message: parsed };
    requirements.push(parsed);
  }
  return { ok: true, requirements };
}

function matchesRequirement(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.op) {
    case "exists":
      return has;
    case "!exists":
      return !has;
    case "=":
      return has && value === r.value;
    case "!=":
      return !has || value !== r.value;
    case "in":
      return has && r.values.includes(value!);
    case "notin":
      return !has || !r.values.includes(value!);
    case ">":
    case "<": {
      if (!has || !/^-?\d+$/.test(value!)) return false;
      return r.op === ">" ? Number(value) > r.value : Number(value) < r.value;
    }
  }
}

export function matchesSelector(
  requirements: readonly Requirement[],
  labels: Readonly<Record<string, string>>,
): boolean {
  return requirements.every((r) => matchesRequirement(r, labels));
}

export type NamespaceInfo = { name: string; labels: Readonly<Record<string, string>> };
export type ScopeDecision = { inScope: true } | { inScope: false; reason: ExclusionReason };

/** Whether Regcred manages a namespace: not excluded by name, not opted out by label, and matching the selector. */
export function decideNamespace(scope: NamespaceScope, ns: NamespaceInfo): ScopeDecision {
  if (scope.excludeNamespaces.includes(ns.name)) return { inScope: false, reason: "excluded" };
  if (ns.labels[IGNORE_LABEL] === "true") return { inScope: false, reason: "ignored" };
  const parsed = parseLabelSelector(scope.namespaceSelector ?? "");
  // An unparseable stored selector selects nothing rather than everything.
  if (!parsed.ok || !matchesSelector(parsed.requirements, ns.labels)) return { inScope: false, reason: "selector" };
  return { inScope: true };
}

export function filterNamespaces(scope: NamespaceScope, namespaces: readonly NamespaceInfo[]): ScopedNamespaces {
  const result: ScopedNamespaces = { included: [], excluded: [] };
  for (const ns of [...namespaces].sort((a, b) => a.name.localeCompare(b.name))) {
    const decision = decideNamespace(scope, ns);
    if (decision.inScope) result.included.push(ns.name);
    else result.excluded.push({ name: ns.name, reason: decision.reason });
  }
  return result;
}

/** One line for tables: "All namespaces except kube-system, …" or "Namespaces matching env=prod". */
export function describeScope(scope: NamespaceScope): string {
  const selector = scope.namespaceSelector?.trim();
  const base = selector ? `Namespaces matching ${selector}` : "All namespaces";
  return scope.excludeNamespaces.length > 0 ? `${base} except ${scope.excludeNamespaces.join(", ")}` : base;
}

import { describe, expect, it } from "vitest";
import { globMatch, type GlobMeter } from "./kubelet-url";

// Steps allowed per (pattern token, label character) pair: linear in key × label, never exponential.
const stepsPerCell = 2;

function meterFor(pattern: string, label: string): GlobMeter {
  const bound = stepsPerCell * (Array.from(pattern).length + 1) * (Array.from(label).length + 1);
  return { steps: 0, limit: bound * 10 };
}

function stepBound(pattern: string, label: string): number {
  return stepsPerCell * (Array.from(pattern).length + 1) * (Array.from(label).length + 1);
}

const long = "a".repeat(999);

// Keys come from cluster secrets: each of these made the backtracking matcher explode.
const adversarial: Array<[string, string, string, boolean]> = [
  ["twelve *a segments, 30-character label", "*a".repeat(12), `${"a".repeat(29)}b`, false],
  ["500 *a segments", "*a".repeat(500), `${long}b`, false],
  ["500 *a segments that match", "*a".repeat(500), `${long}a`, true],
  ["500 *? segments", "*?".repeat(500), "a".repeat(400), false],
  ["*[a] segments", "*[a]".repeat(250), `${long}b`, false],
  ["a* segments then a miss", `${"a*".repeat(499)}c`, `${long}b`, false],
  ["999 stars then a miss", `${"*".repeat(999)}c`, `${long}b`, false],
  ["[^b]* segments", `${"[^b]*".repeat(200)}[^b]`, `${long}b`, false],
];

describe("globMatch step count", () => {
  it.each(adversarial)("%s stays within a small multiple of key × label length", (_name, pattern, label, expected) => {
    const meter = meterFor(pattern, label);
    const matched = globMatch(pattern, label, meter);
    expect(meter.steps).toBeLessThanOrEqual(stepBound(pattern, label));
    expect(matched).toBe(expected);
  });
});

// filepath.Match semantics, beyond the URL-level tables in matching.test.ts.
const semantics: Array<[string, string, boolean]> = [
  ["", "", true],
  ["", "a", false],
  ["*", "", true],
  ["*", "abc", true],
  ["**", "abc", true],
  ["a*", "a", true],
  ["a*c", "abc", true],
  ["a*c", "abcd", false],
  ["*c", "ccc", true],
  ["a*b*c", "axxbyyc", true],
  ["a*b*c", "axxbyy", false],
  ["a?c", "abc", true],
  ["a?c", "ac", false],
  ["[a-c]x", "bx", true],
  ["[^a-c]x", "bx", false],
  ["[^a-c]x", "dx", true],
  ["\\*", "*", true],
  ["\\*", "a", false],
  ["*\\*", "ab*", true],
  ["[", "[", false],
  ["a[", "a", false],
  ["*x", "xxxx", true],
  ["*xy", "xxxy", true],
  ["*ab*ab", "abababab", true],
  ["*aab", "aaab", true],
  ["ü*", "über", true],
  ["?", "ü", true],
];

describe("globMatch semantics", () => {
  it.each(semantics)("%j against %j is %s", (pattern, label, expected) => {
    expect(globMatch(pattern, label)).toBe(expected);
  });
});

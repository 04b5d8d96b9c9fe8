import { describe, expect, it } from "vitest";
import { uniqueClusterName } from "./form";

describe("uniqueClusterName", () => {
  it.each<[string, string, string[], string]>([
    ["a free name", "prod", ["dev"], "prod"],
    ["a taken name", "prod", ["prod"], "prod-2"],
    ["the next free number", "prod", ["prod", "prod-2", "prod-3"], "prod-4"],
    ["a long name keeps the 253-character limit", "a".repeat(253), ["a".repeat(253)], `${"a".repeat(251)}-2`],
    ["no dangling dot before the suffix", `${"a".repeat(251)}.b`, [`${"a".repeat(251)}.b`], `${"a".repeat(251)}-2`],
  ])("%s", (_name, base, taken, expected) => {
    expect(uniqueClusterName(base, taken)).toBe(expected);
  });
});

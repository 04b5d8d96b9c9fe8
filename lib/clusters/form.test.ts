import { describe, expect, it } from "vitest";
import { emptyClusterForm, toClusterBody, uniqueClusterName, validateClusterForm } from "./form";

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

describe("node credential images in the cluster form", () => {
  const base = { ...emptyClusterForm(), name: "prod", kubeconfig: "x" };
  it("sends the globs as a list and round-trips them", () => {
    const body = toClusterBody(
      { ...base, nodeCredentialImages: "*.dkr.ecr.*.amazonaws.com, registry.example.com/team" },
      "edit",
    );
    expect(body.node_credential_images).toEqual(["*.dkr.ecr.*.amazonaws.com", "registry.example.com/team"]);
  });
  it.each([
    ["a URL with a scheme", "https://registry.example.com"],
    ["a port that is no number", "registry.example.com:https"],
  ])("refuses %s naming the field", (_title, text) => {
    const errors = validateClusterForm({ ...base, nodeCredentialImages: text }, "edit");
    const found = Object.entries(errors).find(([k]) => k.startsWith("node_credential_images"));
    expect(found?.[1]).toMatch(/Node credential images: .* is not a matchImages glob/);
  });
});

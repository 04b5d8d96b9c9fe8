import { describe, expect, it } from "vitest";
import {
  environmentValue,
  formatExpiryLabel,
  isManagedSecret,
  parseExpiryLabel,
  secretNameFor,
  toLabelValue,
  type EnvironmentInput,
} from "./labels";

const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

describe("expiry label", () => {
  it.each([
    ["2023-05-12T06:51:51.000Z", "20230512T065151Z"],
    ["2023-05-12T06:51:51.999Z", "20230512T065151Z"],
    ["2026-01-01T00:00:00Z", "20260101T000000Z"],
    ["2024-02-29T23:59:59Z", "20240229T235959Z"],
  ])("formats %s as %s", (iso, label) => {
    expect(formatExpiryLabel(new Date(iso))).toBe(label);
    expect(labelValue.test(label)).toBe(true);
  });

  it.each([
    ["20230512T065151Z", "2023-05-12T06:51:51.000Z"],
    ["20240229T235959Z", "2024-02-29T23:59:59.000Z"],
    ["20230229T000000Z", null],
    ["20231301T000000Z", null],
    ["20230512T245151Z", null],
    ["20230512T065151", null],
    ["2023-05-12T06:51:51Z", null],
    ["", null],
  ])("parses %j as %s", (label, iso) => {
    expect(parseExpiryLabel(label)?.toISOString() ?? null).toBe(iso);
  });
});

describe("isManagedSecret", () => {
  it.each([
    [{ "app.kubernetes.io/managed-by": "regcred", "regcred.dev/registry": "ecr" }, true],
    [{ "app.kubernetes.io/managed-by": "regcred" }, false],
    [{ "app.kubernetes.io/managed-by": "helm", "regcred.dev/registry": "ecr" }, false],
    [{ "regcred.dev/registry": "ecr" }, false],
    [{}, false],
    [undefined, false],
  ])("%j → %s", (labels, managed) => {
    expect(isManagedSecret({ labels })).toBe(managed);
  });
});

describe("toLabelValue", () => {
  it.each([
    ["prod.web", "prod.web"],
    ["Prod_Env-1", "Prod_Env-1"],
    ["org/app/env", "org-app-env"],
    ["-.leading and trailing.-", "leading-and-trailing"],
    ["ünï cødé", "n-c-d"],
    ["***", ""],
  ])("%j → %j", (input, expected) => {
    expect(toLabelValue(input)).toBe(expected);
  });

  it.each([64, 100, 300])("shortens %i characters to 63 with a distinguishing hash", (length) => {
    const a = toLabelValue(`${"c".repeat(length - 1)}a`);
    const b = toLabelValue(`${"c".repeat(length - 1)}b`);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(labelValue.test(a)).toBe(true);
    expect(a).not.toBe(b);
  });
});

describe("environmentValue", () => {
  const base: EnvironmentInput = { clusterName: "prod-eu", namespace: "web" };
  it.each<[string, EnvironmentInput, string]>([
    ["cluster.namespace by default", base, "prod-eu.web"],
    [
      "the namespace label's value when configured and present",
      { ...base, environmentLabel: "env", namespaceLabels: { env: "production" } },
      "production",
    ],
    [
      "the default when the namespace lacks the label",
      { ...base, environmentLabel: "env", namespaceLabels: { team: "a" } },
      "prod-eu.web",
    ],
    [
      "the default when the label value sanitizes to nothing",
      { ...base, environmentLabel: "env", namespaceLabels: { env: "" } },
      "prod-eu.web",
    ],
    [
      "ignores namespace labels when no label is configured",
      { ...base, namespaceLabels: { env: "production" } },
      "prod-eu.web",
    ],
  ])("%s", (_, input, expected) => {
    expect(environmentValue(input)).toBe(expected);
  });

  it("stays a valid label value for long names", () => {
    const value = environmentValue({ clusterName: "c".repeat(60), namespace: "n".repeat(63) });
    expect(value.length).toBeLessThanOrEqual(63);
    expect(labelValue.test(value)).toBe(true);
  });
});

describe("secretNameFor", () => {
  it("prefixes the registry id", () => {
    expect(secretNameFor("667740703053")).toBe("regcred-667740703053");
  });
});

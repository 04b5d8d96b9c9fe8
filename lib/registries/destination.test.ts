import { describe, expect, it } from "vitest";
import { type Destination, destinationChanges, rebindErrors } from "./destination";
import { emptyForm, validateRegistryForm } from "./form";

const ca = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
const basic: Destination = { type: "basic", registry: "registry.example.com/team", region: null, caCert: ca };
const ecr: Destination = {
  type: "amazon_ecr",
  registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
  region: null,
  caCert: null,
};

describe("destinationChanges", () => {
  it.each<[string, Destination, Destination, string[]]>([
    ["nothing", basic, { ...basic }, []],
    ["another path on the same host", basic, { ...basic, registry: "registry.example.com/other/app" }, []],
    ["the host's case", basic, { ...basic, registry: "Registry.Example.com/team" }, []],
    ["the default port spelled out", basic, { ...basic, registry: "registry.example.com:443/team" }, []],
    [
      "the CA with CRLF line ends and a trailing newline",
      basic,
      { ...basic, caCert: `${ca.replace(/\n/g, "\r\n")}\n` },
      [],
    ],
    ["another host", basic, { ...basic, registry: "evil.example.com/team" }, ["registry"]],
    ["another port", basic, { ...basic, registry: "registry.example.com:5000/team" }, ["registry"]],
    [
      "a numeric spelling of another address",
      { ...basic, registry: "10.0.0.1" },
      { ...basic, registry: "0x7f000001" },
      ["registry"],
    ],
    [
      "a numeric spelling of the same address",
      { ...basic, registry: "127.0.0.1:5000" },
      { ...basic, registry: "2130706433:5000" },
      [],
    ],
    ["another CA", basic, { ...basic, caCert: ca.replace("AAAA", "BBBB") }, ["ca_cert"]],
    ["the CA removed", basic, { ...basic, caCert: null }, ["ca_cert"]],
    ["another type", basic, { ...basic, type: "azure_acr" }, ["type"]],
    ["ECR: region set to the host's own", ecr, { ...ecr, region: "eu-west-1" }, []],
    ["ECR: another region", ecr, { ...ecr, region: "us-east-1" }, ["region"]],
    [
      "ECR: another host in the same region",
      ecr,
      { ...ecr, registry: "210987654321.dkr.ecr.eu-west-1.amazonaws.com" },
      ["registry"],
    ],
    ["region on a non-ECR type is not a destination", basic, { ...basic, region: "us-east-1" }, []],
    ["host and CA together", basic, { ...basic, registry: "evil.example.com", caCert: null }, ["registry", "ca_cert"]],
    [
      "a glob: another path under the same glob",
      { ...basic, registry: "*.example.com/team" },
      { ...basic, registry: "*.example.com/other" },
      [],
    ],
    ["a glob widened", { ...basic, registry: "*.example.com" }, { ...basic, registry: "*.*.com" }, ["registry"]],
    ["a glob's case", { ...basic, registry: "*.example.com" }, { ...basic, registry: "*.Example.com" }, ["registry"]],
    ["a host turned into a glob", basic, { ...basic, registry: "*.example.com/team" }, ["registry"]],
    ["a glob narrowed to one host", { ...basic, registry: "*.example.com" }, basic, ["registry"]],
    [
      "an IPv6 literal and its port",
      { ...basic, registry: "[::1]:5000" },
      { ...basic, registry: "[::1]:5001" },
      ["registry"],
    ],
    [
      "ECR: a dual-stack host of the same registry names the same region",
      ecr,
      { ...ecr, registry: "123456789012.dkr-ecr.eu-west-1.on.aws", region: "eu-west-1" },
      ["registry"],
    ],
  ])("%s", (_name, stored, next, want) => expect(destinationChanges(stored, next)).toEqual(want));
});

describe("rebindErrors", () => {
  const reason = (label: string, type = "Username and password") =>
    `${label} is required again: the registry host changed, and stored credentials are only sent where they were saved (${type} at registry.example.com)`;
  it.each<[string, Parameters<typeof rebindErrors>, Record<string, string>]>([
    ["no change", [[], basic, "basic", null], {}],
    [
      "new host, no credentials",
      [["registry"], basic, "basic", null],
      { "creds.username": reason("Username"), "creds.password": reason("Password") },
    ],
    [
      "new host, only a username",
      [["registry"], basic, "basic", { username: "u" }],
      { "creds.password": reason("Password") },
    ],
    ["new host, both given", [["registry"], basic, "basic", { username: "u", password: "p" }], {}],
    [
      "google_gcr needs only the key",
      [["registry"], { ...basic, type: "google_gcr" }, "google_gcr", null],
      { "creds.password": reason("Service-account JSON key", "Google GCR / Artifact Registry") },
    ],
    ["a type without credentials", [["type"], basic, "public", null], {}],
  ])("%s", (_name, args, want) => expect(rebindErrors(...args)).toEqual(want));
});

describe("validateRegistryForm (edit dialog)", () => {
  const stored: Destination = { type: "basic", registry: "registry.example.com", region: null };
  const form = { ...emptyForm("basic"), id: "reg-1", registry: "registry.example.com" };
  it("keeps stored credentials while the destination is unchanged", () => {
    expect(validateRegistryForm({ ...form, registry: "registry.example.com/team" }, true, stored)).toEqual({});
  });
  it("keeps the stored username when only a new password is typed", () => {
    expect(validateRegistryForm({ ...form, password: "new" }, true, stored)).toEqual({});
  });
  it("asks for them again when the host changes", () => {
    const errors = validateRegistryForm({ ...form, registry: "other.example.com" }, true, stored);
    expect(Object.keys(errors).sort()).toEqual(["creds.password", "creds.username"]);
    expect(errors["creds.password"]).toContain("registry host changed");
  });
});

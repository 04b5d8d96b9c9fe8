import { describe, expect, it } from "vitest";
import { type Destination, destinationChanges, identityRebindErrors, rebindErrors } from "./destination";
import { emptyForm, validateRegistryForm } from "./form";
import { checkRegistryRules } from "./rules";
import { awsRoleArnPattern } from "./types";

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

describe("keyless ECR: the role and external ID are part of the destination", () => {
  const role = "arn:aws:iam::123456789012:role/pull";
  const other = "arn:aws:iam::210987654321:role/admin";
  const withRole: Destination = { ...ecr, awsRoleArn: role, awsUseExternalId: true };
  it.each<[string, Destination, Destination, string[]]>([
    ["the same role", withRole, { ...withRole }, []],
    ["another role", withRole, { ...withRole, awsRoleArn: other }, ["aws_role_arn"]],
    ["the role removed", withRole, { ...withRole, awsRoleArn: null }, ["aws_role_arn"]],
    ["the external ID turned off", withRole, { ...withRole, awsUseExternalId: false }, ["aws_use_external_id"]],
    ["a role added (empty string is none)", { ...ecr, awsRoleArn: "" }, { ...ecr, awsRoleArn: role }, ["aws_role_arn"]],
    ["not ECR: no role to compare", basic, { ...basic, awsRoleArn: null }, []],
  ])("%s", (_name, stored, next, want) => expect(destinationChanges(stored, next)).toEqual(want));

  it("a keyless registry's new role needs an explicit confirmation, which names the field and the old role", () => {
    const errors = identityRebindErrors(["aws_role_arn"], withRole, false);
    expect(Object.keys(errors)).toEqual(["aws_role_arn"]);
    expect(errors.aws_role_arn).toBe(
      `The role ARN changed: tokens would be minted as another AWS identity than role ${role}. Confirm it (aws_confirm_identity: true) to save`,
    );
    expect(identityRebindErrors(["aws_role_arn"], withRole, true)).toEqual({});
    expect(identityRebindErrors(["region"], withRole, false)).toEqual({});
  });

  it("a registry with stored keys needs them typed again for another role", () => {
    expect(Object.keys(rebindErrors(["aws_role_arn"], withRole, "amazon_ecr", null)).sort()).toEqual([
      "creds.password",
      "creds.username",
    ]);
  });
});

describe("checkRegistryRules for ECR sources", () => {
  const host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
  const keys = { username: "AKIA", password: "secret" };
  it.each<[string, Parameters<typeof checkRegistryRules>[0], string[]]>([
    ["keys", { type: "amazon_ecr", registry: host, creds: keys }, []],
    [
      "no keys, org not allowed",
      { type: "amazon_ecr", registry: host, creds: null },
      ["creds.password", "creds.username"],
    ],
    ["no keys, org allowed", { type: "amazon_ecr", registry: host, creds: null, awsDefaultChain: true }, []],
    ["half the keys", { type: "amazon_ecr", registry: host, creds: { username: "AKIA" } }, ["creds.password"]],
    [
      "external ID without a role",
      { type: "amazon_ecr", registry: host, creds: keys, awsUseExternalId: true },
      ["aws_use_external_id"],
    ],
    [
      "a role on a basic registry",
      { type: "basic", registry: "r.example.com", creds: keys, awsRoleArn: "arn:aws:iam::123456789012:role/x" },
      ["aws_role_arn"],
    ],
  ])("%s", (_name, input, want) => expect(Object.keys(checkRegistryRules(input)).sort()).toEqual(want));

  it("refusing the server's identity says an instance admin can allow it", () => {
    expect(checkRegistryRules({ type: "amazon_ecr", registry: host, creds: null })["creds.username"]).toMatch(
      /an instance admin can allow the server's AWS identity for this org/,
    );
  });
});

describe("awsRoleArnPattern", () => {
  it.each([
    ["arn:aws:iam::123456789012:role/pull", true],
    ["arn:aws-cn:iam::123456789012:role/team/ci/pull", true],
    ["arn:aws-us-gov:iam::123456789012:role/with+=,.@-chars", true],
    ["arn:aws:iam::123456789012:user/bob", false],
    ["arn:aws:iam::1234:role/x", false],
    ["arn:aws:sts::123456789012:assumed-role/x/y", false],
    ["arn:aws:iam::123456789012:role/", false],
    ["arn:aws:iam::123456789012:role/a b", false],
  ])("%s → %s", (arn, ok) => expect(awsRoleArnPattern.test(arn)).toBe(ok));
});

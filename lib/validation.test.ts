import { describe, expect, it } from "vitest";
import { ClusterCreate } from "./clusters/schema";
import { CreateOrgInput } from "./orgs/schema";
import { checkRegistryRules } from "./registries/rules";
import { RegistryRequestShape } from "./registries/schema";
import { CreateTokenInput } from "./tokens/schema";
import { InviteUserInput, SignInInput } from "./users/schema";
import { describeFieldErrors, fieldErrorsOf, recheckErrors } from "./validation";

function errorsOf(schema: { safeParse: (v: unknown) => { error?: unknown } }, input: unknown) {
  const { error } = schema.safeParse(input);
  return error ? fieldErrorsOf(error as never, input) : {};
}

const ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

describe("field errors speak the user's language and name the field", () => {
  it.each<[string, Parameters<typeof errorsOf>[0], unknown, Record<string, string>]>([
    [
      "an empty registry body",
      RegistryRequestShape,
      {},
      { id: "ID is required", registry: "Registry URL is required", type: "Type is required" },
    ],
    ["an empty ID", RegistryRequestShape, { id: "", registry: ecr, type: "amazon_ecr" }, { id: "ID is required" }],
    [
      "a two-letter ID",
      RegistryRequestShape,
      { id: "ab", registry: ecr, type: "amazon_ecr" },
      { id: "ID must be at least 3 characters" },
    ],
    [
      "an ID with capitals",
      RegistryRequestShape,
      { id: "My_Registry", registry: ecr, type: "amazon_ecr" },
      { id: "ID can only use lowercase letters, digits and hyphens, and must start and end with a letter or digit" },
    ],
    [
      "a URL with a scheme",
      RegistryRequestShape,
      { id: "abc", registry: "https://ghcr.io", type: "public" },
      { registry: expect.stringMatching(/^Registry URL must not include a scheme such as https:\/\//) },
    ],
    [
      "an unknown type",
      RegistryRequestShape,
      { id: "abc", registry: "ghcr.io", type: "docker" },
      { type: "Type must be one of public, basic, amazon_ecr, google_gcr, azure_acr, secret_ref" },
    ],
    [
      "unknown fields",
      RegistryRequestShape,
      { id: "abc", registry: "ghcr.io", type: "public", colour: 1 },
      { body: "Unknown field: colour" },
    ],
    [
      "a secret reference to a bad namespace",
      RegistryRequestShape,
      { id: "abc", registry: "ghcr.io", type: "secret_ref", secrets: { "*": { namespace: "Team A", secret: "pull" } } },
      {
        "secrets.*.namespace":
          "Namespace can only use lowercase letters, digits and hyphens, and must start and end with a letter or digit",
      },
    ],
    ["a cluster without a name", ClusterCreate, { kubeconfig: "x" }, { name: "Name is required" }],
    [
      "a cluster named *",
      ClusterCreate,
      { name: "*", kubeconfig: "x" },
      { name: expect.stringMatching(/^Name can only use lowercase letters/) },
    ],
    [
      "excluded namespaces with a bad entry",
      ClusterCreate,
      { name: "dev", kubeconfig: "x", exclude_namespaces: ["ok", "Not OK"] },
      {
        "exclude_namespaces.1":
          'Excluded namespaces: "Not OK" is not a namespace name (lowercase letters, digits and hyphens)',
      },
    ],
    [
      "an org with a bad ID and no name",
      CreateOrgInput,
      { id: "Bad_Org", name: " " },
      {
        id: "Org ID can only use lowercase letters, digits and hyphens, and must start and end with a letter or digit",
        name: "Name is required",
      },
    ],
    [
      "a token without a name and a made-up role",
      CreateTokenInput,
      { role: "owner" },
      { name: "Name is required", role: "Role must be viewer, manager or admin" },
    ],
    [
      "an invite to a non-address",
      InviteUserInput,
      { email: "nope", role: "viewer" },
      { email: "Email must be an email address such as name@example.com" },
    ],
    ["a sign-in without a password", SignInInput, { email: "a@b.co" }, { password: "Password is required" }],
  ])("%s", (_name, schema, input, expected) => {
    expect(errorsOf(schema, input)).toEqual(expected);
  });

  it.each<[string, Parameters<typeof checkRegistryRules>[0], Record<string, string>]>([
    [
      "ECR without keys",
      { type: "amazon_ecr", registry: ecr, creds: null },
      {
        "creds.username":
          "Access key ID is required for Amazon ECR: this org may not use the server's AWS identity (an instance admin can allow the server's AWS identity for this org)",
        "creds.password": "Secret access key is required for Amazon ECR",
      },
    ],
    [
      "basic without a password",
      { type: "basic", registry: "r.example.com", creds: { username: "u" } },
      { "creds.password": "Password is required" },
    ],
    [
      "GCR with a key that is not JSON",
      { type: "google_gcr", registry: "gcr.io/p", creds: { username: "_json_key", password: "{" } },
      { "creds.password": "Service-account JSON key is not valid JSON: paste the whole .json key file" },
    ],
    [
      "a secret reference without secrets",
      { type: "secret_ref", registry: "ghcr.io", creds: null, secrets: {} },
      {
        secrets: "Add at least one cluster (or * for every cluster) with the namespace and name of the secret to copy",
      },
    ],
    [
      "a region on a basic registry",
      { type: "basic", registry: "r.example.com", creds: { username: "u", password: "p" }, region: "eu-west-1" },
      { region: "Region only applies to Amazon ECR" },
    ],
  ])("rules: %s", (_name, registry, expected) => {
    expect(checkRegistryRules(registry)).toEqual(expected);
  });

  it("no message is a bare pattern, a type code or a fragment without its field", () => {
    const all = [
      errorsOf(RegistryRequestShape, { id: "-", registry: "a b", type: "x", enable_ci: "y", region: "mars" }),
      errorsOf(ClusterCreate, { name: "A", kubeconfig: 1, wiring: "x", restart_stuck_pods: 1 }),
      checkRegistryRules({ type: "azure_acr", registry: "x.azurecr.io", creds: null }),
    ].flatMap((e) => Object.values(e));
    expect(all.length).toBeGreaterThan(8);
    for (const message of all) {
      expect(message).toMatch(/^[A-Z"]/);
      expect(message).not.toMatch(/\^\[|for type |must be a string|Invalid input/);
    }
  });

  it("the one-line message joins the field messages", () => {
    expect(describeFieldErrors({ id: "ID is required", registry: "Registry URL is required" })).toBe(
      "ID is required; Registry URL is required",
    );
  });
});

describe("recheckErrors", () => {
  const current = { id: "ID is required", registry: "Registry URL is required", name: "taken (from the server)" };
  it.each<[string, Record<string, string>, (k: string) => boolean, Record<string, string>]>([
    ["a fixed field loses its error", {}, (k) => k === "id", { registry: current.registry, name: current.name }],
    [
      "a field still wrong shows the new problem",
      { id: "ID must be at least 3 characters" },
      (k) => k === "id",
      { ...current, id: "ID must be at least 3 characters" },
    ],
    ["another field's server error stays", {}, (k) => k === "registry", { id: current.id, name: current.name }],
    [
      "a field that had no error gets none while typing",
      { id: current.id, url: "Registry URL is wrong" },
      (k) => k === "url",
      current,
    ],
  ])("%s", (_name, fresh, edited, expected) => {
    expect(recheckErrors(current, fresh, edited)).toEqual(expected);
  });
});

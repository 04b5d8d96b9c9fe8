import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "../validation";
import { checkRegistryFields, type FormBody } from "./form-checks";
import { RegistryPatch, RegistryRequestShape } from "./schema";

const ok: FormBody = { id: "my-registry", registry: "registry.example.com/team" };
const cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";

const cases: Array<[string, FormBody]> = [
  ["valid", ok],
  ["empty id", { ...ok, id: "" }],
  ["short id", { ...ok, id: "ab" }],
  ["long id", { ...ok, id: "a".repeat(64) }],
  ["id with capitals", { ...ok, id: "My-Registry" }],
  ["id ending in a hyphen", { ...ok, id: "abc-" }],
  ["empty URL", { ...ok, registry: "" }],
  ["long URL", { ...ok, registry: `${"a".repeat(250)}.example.com` }],
  ["URL with a scheme", { ...ok, registry: "https://registry.example.com" }],
  ["URL with a space", { ...ok, registry: "registry example.com" }],
  ["URL with a bad port", { ...ok, registry: "registry.example.com:99999" }],
  ["URL with a glob", { ...ok, registry: "*.example.com" }],
  ["URL with a query", { ...ok, registry: "registry.example.com/a?b" }],
  ["IPv6 URL", { ...ok, registry: "[::1]:5000/x" }],
  ["long username", { ...ok, creds: { username: "u".repeat(1025) } }],
  ["long password", { ...ok, creds: { username: "u", password: "p".repeat(65537) } }],
  ["secret rows", { ...ok, secrets: { "*": { namespace: "default", secret: "pull.a" } } }],
  ["empty secret row", { ...ok, secrets: { "*": { namespace: "", secret: "" } } }],
  ["bad namespace", { ...ok, secrets: { prod: { namespace: "Ops_1", secret: "x" } } }],
  ["long namespace", { ...ok, secrets: { prod: { namespace: "n".repeat(64), secret: "x" } } }],
  ["bad secret name", { ...ok, secrets: { prod: { namespace: "ops", secret: "-x" } } }],
  ["long secret name", { ...ok, secrets: { prod: { namespace: "ops", secret: "s".repeat(254) } } }],
  ["bad cluster key", { ...ok, secrets: { "Prod EU": { namespace: "ops", secret: "x" } } }],
  [
    "bad cluster key and namespace",
    { ...ok, secrets: { "Prod EU": { namespace: "", secret: "x" }, a: { namespace: "A", secret: "" } } },
  ],
  ["empty cluster key", { ...ok, secrets: { "": { namespace: "ops", secret: "x" } } }],
  ["region", { ...ok, region: "eu-west-1" }],
  ["bad region", { ...ok, region: "Europe" }],
  ["CA", { ...ok, ca_cert: cert }],
  ["CA that is not PEM", { ...ok, ca_cert: "hello" }],
  ["CA with NUL", { ...ok, ca_cert: `${cert}\u0000` }],
  ["long CA", { ...ok, ca_cert: `${cert}${"a".repeat(65536)}` }],
  ["everything wrong", { id: "", registry: "", region: "x", ca_cert: "y", creds: { username: "u".repeat(2000) } }],
];

describe("checkRegistryFields gives the schema's field errors without zod", () => {
  it.each(cases)("%s", (_, body) => {
    const full = { ...body, type: "basic" as const, enable_ci: false };
    for (const schema of [RegistryRequestShape, RegistryPatch]) {
      const parsed = schema.safeParse(full);
      expect(checkRegistryFields(body)).toEqual(parsed.success ? {} : fieldErrorsOf(parsed.error, full));
    }
  });
});

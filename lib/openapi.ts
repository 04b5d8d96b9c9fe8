import { z } from "zod";
import { Roles } from "./auth/roles";
import { ErrorCodes } from "./errors";
import { ecrHostPattern, RegistryPatch, RegistryRequestShape, RegistryResponse, type RegistryType, SecretRef, SecretRefMap } from "./registries/schema";
import { CreateTokenInput } from "./tokens/schema";

type JsonSchema = Record<string, unknown>;
type Io = "input" | "output";

const TokenView = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  role: z.enum(Roles),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const CreatedToken = TokenView.extend({ token: z.string().describe("The plaintext token; returned once, never again.") });

const ErrorBody = z.object({
  error: z.enum(Object.keys(ErrorCodes) as [keyof typeof ErrorCodes, ...(keyof typeof ErrorCodes)[]]).describe("A stable code string."),
  message: z.string().describe("A human explanation; never contains credentials."),
  fields: z.record(z.string(), z.string()).optional().describe("Per-field problems keyed by dotted path, such as creds.username."),
});

const createdAtPattern = "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z$";

function jsonSchema(schema: z.ZodType, io: Io): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    override: (ctx) => {
      // z.record's key refinement is not representable; its keys are "*" or a cluster name (a secret-style DNS subdomain).
      if (ctx.zodSchema === SecretRefMap) ctx.jsonSchema.propertyNames = { anyOf: [{ const: "*" }, jsonSchema(SecretRef.shape.secret, io)] };
      // .trim().min(1) means "at least one non-blank character".
      if (ctx.zodSchema === CreateTokenInput.shape.name) ctx.jsonSchema.pattern = "\\S";
    },
  }) as JsonSchema;
  return rest;
}

const filled = { type: "string", minLength: 1 };
const credPair = { required: ["creds"], properties: { creds: { required: ["username", "password"], properties: { username: filled, password: filled } } } };
const noCreds = { properties: { creds: { properties: { username: { maxLength: 0 }, password: { maxLength: 0 } } } } };
const ecrHostOrRegion = { anyOf: [{ properties: { registry: { pattern: `${ecrHostPattern.source.replace(/\$$/, "")}(?:/|$)` } } }, { required: ["region"] }] };

const typeRules: Record<RegistryType, JsonSchema[]> = {
  public: [noCreds],
  basic: [credPair],
  azure_acr: [credPair],
  google_gcr: [{ required: ["creds"], properties: { creds: { required: ["password"], properties: { password: { ...filled, contentMediaType: "application/json", description: "The service-account JSON key (client_email, private_key)." } } } } }],
  amazon_ecr: [credPair, ecrHostOrRegion],
  secret_ref: [noCreds, { required: ["secrets"], properties: { secrets: { minProperties: 1 } } }],
};

/** The per-type rules of lib/registries/rules.ts, as if/then clauses on the create body. */
function withTypeRules(schema: JsonSchema): JsonSchema {
  const clauses = Object.entries(typeRules).map(([type, rules]) => {
    const only = [...(type === "secret_ref" ? [] : [{ not: { required: ["secrets"] } }]), ...(type === "amazon_ecr" ? [] : [{ not: { required: ["region"] } }])];
    return { if: { properties: { type: { const: type } }, required: ["type"] }, then: { allOf: [...rules, ...only] } };
  });
  return { ...schema, allOf: clauses };
}

function registryResponseSchema(): JsonSchema {
  const s = jsonSchema(RegistryResponse, "output");
  const props = s.properties as Record<string, JsonSchema>;
  props.created_at = { ...props.created_at, pattern: createdAtPattern };
  return s;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });

const errorText: Record<number, string> = {
  400: "Invalid JSON, a body that is not an object, unknown fields or a rule the type requires (see `fields`).",
  401: "No token, a malformed Authorization header, or an invalid or revoked token.",
  403: "The token's role is too low for this operation.",
  404: "Unknown organization (or one the token does not belong to), or unknown resource.",
  409: "A registry with the same id or the same registry string already exists in the org.",
  413: "The request body is larger than the configured limit (256 KiB by default).",
  500: "Unexpected server error; details are in the server log only.",
};

function errors(...codes: number[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const code of codes) {
    out[String(code)] = {
      description: errorText[code],
      content: json(ref("Error")),
      ...(code === 401 ? { headers: { "WWW-Authenticate": { schema: { type: "string" }, description: 'Bearer realm="regcred"' } } } : {}),
    };
  }
  return out;
}

const orgId = { name: "orgId", in: "path", required: true, description: "Organization id.", schema: { type: "string" } };
const regId = { name: "regId", in: "path", required: true, description: "Registry id.", schema: { type: "string" } };
const tokenId = { name: "tokenId", in: "path", required: true, description: "Token id (a UUID).", schema: { type: "string" } };
const noContent = { description: "Done; no body." };

function links(targets: Record<string, [string, string]>, idParam: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, [operationId, description]] of Object.entries(targets)) {
    out[name] = { operationId, description, parameters: { orgId: "$request.path.orgId", [idParam]: "$response.body#/id" } };
  }
  return out;
}

const registryLinks = links(
  { GetRegistry: ["getRegistry", "Read the created registry."], UpdateRegistry: ["updateRegistry", "Update it."], DeleteRegistry: ["deleteRegistry", "Delete it."] },
  "regId",
);
const tokenLinks = links({ RevokeToken: ["revokeToken", "Revoke the created token."] }, "tokenId");

function operation(tag: string, operationId: string, summary: string, params: unknown[], responses: Record<string, unknown>, body?: unknown) {
  return {
    tags: [tag],
    operationId,
    summary,
    parameters: params,
    ...(body ? { requestBody: { required: true, content: json(body) } } : {}),
    responses,
  };
}

function paths() {
  const reg = "Registry";
  const tok = "Token";
  return {
    "/api/orgs/{orgId}/registries": {
      get: operation(reg, "listRegistries", "List the org's registries", [orgId], { 200: { description: "The registries, ordered by id.", content: json({ type: "array", items: ref("RegistryResponse") }) }, ...errors(401, 404, 500) }),
      post: operation(reg, "createRegistry", "Create a registry (the body is read as JSON whatever its Content-Type)", [orgId], { 201: { description: "Created.", content: json(ref("RegistryResponse")), links: registryLinks }, ...errors(400, 401, 403, 404, 409, 413, 500) }, ref("RegistryRequest")),
    },
    "/api/orgs/{orgId}/registries/{regId}": {
      get: operation(reg, "getRegistry", "Get one registry", [orgId, regId], { 200: { description: "The registry.", content: json(ref("RegistryResponse")) }, ...errors(401, 404, 500) }),
      patch: operation(reg, "updateRegistry", "Update a registry with a full or partial body; omitted credentials keep their stored values", [orgId, regId], { 200: { description: "Updated.", content: json(ref("RegistryResponse")), links: registryLinks }, ...errors(400, 401, 403, 404, 409, 413, 500) }, ref("RegistryPatch")),
      delete: operation(reg, "deleteRegistry", "Delete a registry and its stored credentials", [orgId, regId], { 204: noContent, ...errors(401, 403, 404, 500) }),
    },
    "/api/orgs/{orgId}/tokens": {
      get: operation(tok, "listTokens", "List the org's API tokens (admin)", [orgId], { 200: { description: "The tokens, newest first; never their plaintext.", content: json({ type: "array", items: ref("TokenView") }) }, ...errors(401, 403, 404, 500) }),
      post: operation(tok, "createToken", "Create an API token (admin)", [orgId], { 201: { description: "Created; `token` is shown once.", content: json(ref("CreatedToken")), links: tokenLinks }, ...errors(400, 401, 403, 404, 413, 500) }, ref("CreateTokenInput")),
    },
    "/api/orgs/{orgId}/tokens/{tokenId}": {
      delete: operation(tok, "revokeToken", "Revoke an API token (admin)", [orgId, tokenId], { 204: noContent, ...errors(401, 403, 404, 500) }),
    },
  };
}

/** The OpenAPI 3.1 document for the REST API, built from the zod schemas the handlers validate with. */
export function buildOpenApi(): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Regcred API",
      version: "1.0.0",
      description: "Humanitec-compatible registries API. Paths carry the /api prefix, so the server URL is the site root.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }],
    tags: [{ name: "Registry" }, { name: "Token" }],
    paths: paths(),
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "An API token (Authorization: Bearer <token>)." } },
      schemas: {
        RegistryRequest: withTypeRules(jsonSchema(RegistryRequestShape, "input")),
        RegistryPatch: {
          ...jsonSchema(RegistryPatch, "input"),
          description: "Any subset of RegistryRequest. It is merged into the stored registry (omitted credentials keep their stored values) and the result must satisfy RegistryRequest's per-type rules.",
        },
        RegistryResponse: registryResponseSchema(),
        CreateTokenInput: jsonSchema(CreateTokenInput, "input"),
        TokenView: jsonSchema(TokenView, "output"),
        CreatedToken: jsonSchema(CreatedToken, "output"),
        Error: jsonSchema(ErrorBody, "output"),
      },
    },
  };
}

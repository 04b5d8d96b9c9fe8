import { CheckResult, StoredTestRequest, UnsavedTestRequest } from "../credential-checks/schema";
import { ResolvedImage } from "../images/schema";
import {
  ecrRegistryPattern,
  RegistryCredsResponse,
  RegistryId,
  RegistryPatch,
  RegistryRequestShape,
  RegistryResponse,
  type RegistryType,
} from "../registries/schema";
import {
  type ApiPart,
  arrayOf,
  errors,
  jsonSchema,
  type JsonSchema,
  links,
  noContent,
  ok,
  operation,
  pathParam,
  queryParam,
  ref,
} from "./common";

const createdAtPattern = "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z$";

const filled = { type: "string", minLength: 1 };
const credPair = {
  required: ["creds"],
  properties: { creds: { required: ["username", "password"], properties: { username: filled, password: filled } } },
};
const noCreds = { properties: { creds: { properties: { username: { maxLength: 0 }, password: { maxLength: 0 } } } } };
const ecrHostOrRegion = {
  anyOf: [{ properties: { registry: { pattern: ecrRegistryPattern.source } } }, { required: ["region"] }],
};

// Keyless ECR: aws_role_arn and aws_use_external_id only on amazon_ecr; the external ID needs a role.
const noAwsIdentity = { properties: { aws_role_arn: { type: "null" }, aws_use_external_id: { const: false } } };
const roleForExternalId = {
  if: { properties: { aws_use_external_id: { const: true } }, required: ["aws_use_external_id"] },
  then: { required: ["aws_role_arn"], properties: { aws_role_arn: { type: "string" } } },
};

const typeRules: Record<RegistryType, JsonSchema[]> = {
  public: [noCreds],
  basic: [credPair],
  azure_acr: [credPair],
  google_gcr: [
    {
      required: ["creds"],
      properties: {
        creds: {
          required: ["password"],
          properties: {
            password: {
              ...filled,
              contentMediaType: "application/json",
              description: "The service-account JSON key (client_email, private_key).",
            },
          },
        },
      },
    },
  ],
  amazon_ecr: [credPair, ecrHostOrRegion],
  secret_ref: [noCreds, { required: ["secrets"], properties: { secrets: { minProperties: 1 } } }],
};

/** The per-type rules of lib/registries/rules.ts, as if/then clauses on the create body. */
function withTypeRules(schema: JsonSchema): JsonSchema {
  const clauses = Object.entries(typeRules).map(([type, rules]) => {
    const only = [
      ...(type === "secret_ref" ? [] : [{ not: { required: ["secrets"] } }]),
      ...(type === "amazon_ecr" ? [roleForExternalId] : [{ not: { required: ["region"] } }, noAwsIdentity]),
    ];
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

const regId = pathParam("regId", "Registry id.", jsonSchema(RegistryId, "input"));
const tag = "Registry";
const registryLinks = links(
  {
    GetRegistry: ["getRegistry", "Read the created registry."],
    UpdateRegistry: ["updateRegistry", "Update it."],
    DeleteRegistry: ["deleteRegistry", "Delete it."],
    TestRegistry: ["testRegistry", "Check its stored credentials."],
    GetRegistryCreds: ["getRegistryCreds", "Read its credentials for CI."],
  },
  "regId",
);

function optionalBody<T extends { requestBody?: object }>(op: T): T {
  return op.requestBody ? { ...op, requestBody: { ...op.requestBody, required: false } } : op;
}

const checked = ok(
  "The check ran; a failed check is a result (`status`, `failedStep`), not an error status.",
  ref("CheckResult"),
);

function paths() {
  return {
    "/api/orgs/{orgId}/registries": {
      get: operation({
        tag,
        id: "listRegistries",
        summary: "List the org's registries",
        responses: { 200: ok("The registries, ordered by id.", arrayOf("RegistryResponse")), ...errors([401, 404]) },
      }),
      post: operation({
        tag,
        id: "createRegistry",
        summary: "Create a registry (manager)",
        body: ref("RegistryRequest"),
        responses: {
          201: ok("Created.", ref("RegistryResponse"), { links: registryLinks }),
          ...errors([400, 401, 403, 404, 409, 413], {
            409: "A registry with the same id or the same registry string already exists in the org.",
          }),
        },
      }),
    },
    "/api/orgs/{orgId}/registries/test": {
      post: operation({
        tag,
        id: "testRegistryBody",
        summary: "Check unsaved credentials (manager)",
        description:
          "Takes a RegistryPatch plus `test_host`: a registry whose host has the wildcard * is tested against that one host, which its key must match (else 400 naming `test_host`); credentials go to no other host. Blank credentials fall back to the stored ones of the registry named by `id` only while type, registry host, region and CA are unchanged, else 400 naming `creds.password`: stored credentials are only sent where they were saved for. The server, not the browser, connects to the registry (or, for secret_ref, to the clusters), only to addresses the egress policy allows (a refused address is a result with failedStep `policy`) and to https token realms. Audited as registry.test.",
        body: ref("RegistryTestRequest"),
        responses: { 200: checked, ...errors([400, 401, 403, 404, 413]) },
      }),
    },
    "/api/orgs/{orgId}/registries/{regId}": {
      get: operation({
        tag,
        id: "getRegistry",
        summary: "Get one registry",
        params: [regId],
        responses: { 200: ok("The registry.", ref("RegistryResponse")), ...errors([401, 404]) },
      }),
      patch: operation({
        tag,
        id: "updateRegistry",
        summary:
          "Update a registry with a full or partial body (manager); omitted credentials keep their stored values",
        description:
          "A new type, registry host, region, CA certificate, `aws_role_arn` or `aws_use_external_id` for a registry with stored credentials needs the credentials again (400 naming `creds.password`): stored credentials are never sent to a destination they were not saved for. Another path on the same host keeps them. An amazon_ecr registry without keys mints as the server's AWS identity: a new `aws_role_arn` or `aws_use_external_id` needs `aws_confirm_identity: true` (else 400 naming the field), and is audited with the old and new role. `creds: null` removes stored credentials (amazon_ecr then needs the org's `aws_default_chain`).",
        params: [regId],
        body: ref("RegistryPatch"),
        responses: {
          200: ok("Updated.", ref("RegistryResponse"), { links: registryLinks }),
          ...errors([400, 401, 403, 404, 409, 413], { 409: "Another registry already uses the new registry string." }),
        },
      }),
      delete: operation({
        tag,
        id: "deleteRegistry",
        summary: "Delete a registry and its stored credentials (manager)",
        params: [regId],
        responses: { 204: noContent, ...errors([401, 403, 404]) },
      }),
    },
    "/api/orgs/{orgId}/registries/{regId}/test": {
      post: optionalBody(
        operation({
          tag,
          id: "testRegistry",
          summary: "Check a saved registry's stored credentials and record the outcome (manager)",
          description:
            "A registry whose host has the wildcard * names no single host: the body's `test_host` names the one to test, which the registry's key must match (else 400 naming `test_host`). Other registries need no body.",
          params: [regId],
          body: ref("StoredTestRequest"),
          responses: { 200: checked, ...errors([400, 401, 403, 404, 413]) },
        }),
      ),
    },
    "/api/orgs/{orgId}/registries/{regId}/creds": {
      get: operation({
        tag,
        id: "getRegistryCreds",
        summary: "Read a registry's credentials for CI (admin, or a token with the ci scope)",
        description:
          "Needs `enable_ci` on the registry. For amazon_ecr the answer is a freshly minted token: username AWS, its expiry in `expires`.",
        params: [regId],
        responses: {
          200: ok("The credentials (not cached: Cache-Control no-store).", ref("RegistryCredsResponse")),
          ...errors([401, 403, 404, 502], {
            403: "The caller is neither admin nor a ci-scoped token, or enable_ci is off.",
            502: "AWS did not issue an ECR token.",
          }),
        },
      }),
    },
    "/api/orgs/{orgId}/images/resolve": {
      get: operation({
        tag: "Image",
        id: "resolveImage",
        summary: "Which registry, and so which regcred secret, the kubelet would use for an image",
        params: [
          queryParam(
            "image",
            "An image reference such as nginx:1.27 or 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:….",
            { type: "string", minLength: 1 },
            true,
          ),
        ],
        responses: {
          200: ok("The normalised reference and the matching registry.", ref("ResolvedImage")),
          ...errors([400, 401, 404], { 400: "image is missing or is not a valid image reference." }),
        },
      }),
    },
  };
}

export function registriesPart(): ApiPart {
  return {
    paths: paths(),
    schemas: {
      RegistryRequest: {
        ...withTypeRules(jsonSchema(RegistryRequestShape, "input")),
        description:
          "amazon_ecr may omit creds (keyless: the server's own AWS identity, or a role assumed from it) only in an org whose `aws_default_chain` an instance admin turned on (GET /api/orgs/{orgId}); elsewhere 400 naming `creds.username`. The schema's per-type rules describe the default (creds required).",
      },
      RegistryPatch: {
        ...jsonSchema(RegistryPatch, "input"),
        description:
          "Any subset of RegistryRequest. It is merged into the stored registry (omitted credentials keep their stored values) and the result must satisfy RegistryRequest's per-type rules.",
      },
      RegistryTestRequest: {
        ...jsonSchema(UnsavedTestRequest, "input"),
        description: "A RegistryPatch (merged into the stored registry named by `id`, if any) and `test_host`.",
      },
      StoredTestRequest: jsonSchema(StoredTestRequest, "input"),
      RegistryResponse: registryResponseSchema(),
      RegistryCredsResponse: jsonSchema(RegistryCredsResponse, "output"),
      CheckResult: jsonSchema(CheckResult, "output"),
      ResolvedImage: jsonSchema(ResolvedImage, "output"),
    },
  };
}

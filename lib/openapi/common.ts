import { z } from "zod";
import { ErrorCodes } from "../errors";
import { SecretRef, SecretRefMap } from "../registries/schema";
import { SecretStatuses } from "../secrets/schema";
import { CreateTokenInput } from "../tokens/schema";

export type JsonSchema = Record<string, unknown>;
export type Io = "input" | "output";
/** A slice of the document: its paths and the component schemas they refer to. */
export type ApiPart = { paths: Record<string, Record<string, unknown>>; schemas: Record<string, JsonSchema> };

const codes = Object.keys(ErrorCodes) as [keyof typeof ErrorCodes, ...(keyof typeof ErrorCodes)[]];

/** The body of every 4xx and 5xx answer (lib/http.ts jsonError). */
export const ErrorBody = z.object({
  error: z.enum(codes).describe("A stable code string."),
  message: z.string().describe("A human explanation; never contains credentials."),
  fields: z
    .record(z.string(), z.string())
    .optional()
    .describe("Per-field problems keyed by dotted path, such as creds.username."),
});

// Blanks are spaces only: Python's \s (the fuzzer's) and String.prototype.trim disagree on some control characters.
const oneStatus = `(?:${SecretStatuses.join("|")})`;
// What String.prototype.trim removes, spelled out: Python's \s (the fuzzer's) differs from JavaScript's.
const trimmed = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";
const statusList = `^ *(?:${oneStatus} *)?(?:, *(?:${oneStatus} *)?)*$`;

/** z.toJSONSchema, plus what a refinement or transform cannot say by itself. */
export function jsonSchema(schema: z.ZodType, io: Io): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    override: (ctx) => {
      // z.record's key refinement is not representable; its keys are "*" or a cluster name (a secret-style DNS subdomain).
      if (ctx.zodSchema === SecretRefMap)
        ctx.jsonSchema.propertyNames = { anyOf: [{ const: "*" }, jsonSchema(SecretRef.shape.secret, io)] };
      // .trim().min(1) means "at least one character that String.prototype.trim keeps".
      if (ctx.zodSchema === CreateTokenInput.shape.name)
        ctx.jsonSchema.pattern = `^[^\\u0000]*[^\\u0000${trimmed}][^\\u0000]*$`;
    },
  }) as JsonSchema;
  return rest;
}

/** The status query parameter of GET /secrets: a comma-separated list of statuses (its transform's input). */
export const secretStatusListSchema: JsonSchema = {
  type: "string",
  pattern: statusList,
  description: `Comma-separated: ${SecretStatuses.join(", ")}.`,
};

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: unknown) => ({ "application/json": { schema } });
export const arrayOf = (name: string) => ({ type: "array", items: ref(name) });

const errorText: Record<number, string> = {
  400: "Invalid JSON, a body that is not an object, unknown fields, or a rule the input breaks (see `fields`).",
  401: "No token, a malformed Authorization header, or an invalid or revoked token.",
  403: "The token's role is too low for this operation.",
  404: "Unknown organization (or one the token does not belong to), or unknown resource.",
  409: "Conflict: the id, name or URL is taken, or the change would leave the org without an admin.",
  413: "The request body is larger than the configured limit (256 KiB by default).",
  500: "Unexpected server error; details are in the server log only.",
  502: "A service the operation depends on (AWS, a cluster's API server) failed; the message says which and why.",
};

/** Error responses for the given statuses; `notes` replaces the generic description of a status. */
export function errors(statuses: number[], notes: Record<number, string> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const code of [...statuses, 500]) {
    out[String(code)] = {
      description: notes[code] ?? errorText[code],
      content: json(ref("Error")),
      ...(code === 401
        ? { headers: { "WWW-Authenticate": { schema: { type: "string" }, description: 'Bearer realm="regcred"' } } }
        : {}),
    };
  }
  return out;
}

export const ok = (description: string, schema: unknown, extra: Record<string, unknown> = {}) => ({
  description,
  content: json(schema),
  ...extra,
});
export const noContent = { description: "Done; no body." };

export function pathParam(name: string, description: string, schema: JsonSchema = { type: "string" }) {
  return { name, in: "path", required: true, description, schema };
}

export function queryParam(name: string, description: string, schema: JsonSchema, required = false) {
  return { name, in: "query", required, description, schema };
}

export const orgId = pathParam("orgId", "Organization id.");

/** Links from a create response to the operations on the created resource (its id is `$response.body#/id`). */
export function links(targets: Record<string, [string, string]>, idParam: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, [operationId, description]] of Object.entries(targets)) {
    out[name] = {
      operationId,
      description,
      parameters: { orgId: "$request.path.orgId", [idParam]: "$response.body#/id" },
    };
  }
  return out;
}

type Operation = {
  tag: string;
  id: string;
  summary: string;
  params?: unknown[];
  responses: Record<string, unknown>;
  body?: unknown;
  description?: string;
};

export function operation({ tag, id, summary, params = [], responses, body, description }: Operation) {
  return {
    tags: [tag],
    operationId: id,
    summary,
    ...(description ? { description } : {}),
    parameters: [orgId, ...params],
    ...(body
      ? {
          requestBody: {
            required: true,
            description: "JSON, read as such whatever the Content-Type.",
            content: json(body),
          },
        }
      : {}),
    responses,
  };
}

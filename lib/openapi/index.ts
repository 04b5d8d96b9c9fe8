import { accessPart } from "./access";
import { clustersPart } from "./clusters";
import { type ApiPart, ErrorBody, jsonSchema } from "./common";
import { orgsPart } from "./orgs";
import { readinessPart } from "./readiness";
import { registriesPart } from "./registries";
import { sessionPart } from "./session";
import { syncPart } from "./sync";

const tags = [
  { name: "Org", description: "Organizations; instance admins create them." },
  { name: "Registry", description: "Humanitec-compatible registries API, credential checks and CI credentials." },
  { name: "Image", description: "How the kubelet resolves an image to a registry." },
  { name: "Cluster", description: "Kubernetes clusters Regcred writes pull secrets to." },
  { name: "Sync", description: "Sync passes of the controller over one cluster." },
  { name: "Secret", description: "The regcred secrets found in the org's clusters." },
  { name: "Readiness", description: "Whether workloads will be able to pull their images, before the kubelet tries." },
  { name: "Token", description: "API tokens." },
  { name: "User", description: "Members of the org." },
  { name: "Audit", description: "Who did what." },
  { name: "Session", description: "Signing in and out with the session cookie (the dashboard's way in)." },
];

/** The OpenAPI 3.1 document for the REST API, built from the zod schemas the handlers validate with. */
export function buildOpenApi(): Record<string, unknown> {
  const parts: ApiPart[] = [
    registriesPart(),
    clustersPart(),
    readinessPart(),
    syncPart(),
    accessPart(),
    orgsPart(),
    sessionPart(),
  ];
  return {
    openapi: "3.1.0",
    info: {
      title: "Regcred API",
      version: "1.0.0",
      description:
        "Humanitec-compatible registries API plus Regcred's clusters, secrets, sync, tokens, users and audit. Paths carry the /api prefix, so the server URL is the site root. Every operation needs `Authorization: Bearer <token>`; roles are viewer < manager < admin. Errors are `{error, message, fields?}`.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }],
    tags,
    paths: Object.assign({}, ...parts.map((p) => p.paths)),
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API token (Authorization: Bearer <token>)." },
      },
      schemas: { ...Object.assign({}, ...parts.map((p) => p.schemas)), Error: jsonSchema(ErrorBody, "output") },
    },
  };
}

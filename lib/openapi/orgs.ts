import { CreateOrgInput, OrgDetails, OrgPatch, OrgView } from "../orgs/schema";
import { type ApiPart, arrayOf, errors, jsonSchema, ok, operation, ref } from "./common";

/** Operations without {orgId} in their path. */
function orgless(op: ReturnType<typeof operation>) {
  return { ...op, parameters: [] };
}

export function orgsPart(): ApiPart {
  return {
    paths: {
      "/api/orgs": {
        get: orgless(
          operation({
            tag: "Org",
            id: "listOrgs",
            summary:
              "The orgs the caller can see: a token its own org, a signed-in user every org they are a member of",
            responses: { 200: ok("The orgs, with the caller's role in each.", arrayOf("OrgView")), ...errors([401]) },
          }),
        ),
        post: orgless(
          operation({
            tag: "Org",
            id: "createOrg",
            summary: "Create an org (instance admin, signed in); its creator becomes its first admin",
            body: ref("CreateOrgInput"),
            responses: {
              201: ok("Created.", ref("OrgView")),
              ...errors([400, 401, 403, 409, 413], {
                403: "The caller is not an instance admin (API tokens never are).",
                409: "The id is taken.",
              }),
            },
          }),
        ),
      },
      "/api/orgs/{orgId}": {
        get: operation({
          tag: "Org",
          id: "getOrg",
          summary:
            "The org with its AWS external ID (for a role's trust policy) and whether it may use the server's AWS identity",
          responses: { 200: ok("The org.", ref("OrgDetails")), ...errors([401, 404]) },
        }),
        patch: operation({
          tag: "Org",
          id: "updateOrg",
          summary:
            "Allow or stop this org's ECR registries using the server's own AWS identity (instance admin, signed in)",
          description:
            "An instance admin need not be a member of the org. Audited as org.aws_default_chain with the old and new value.",
          body: ref("OrgPatch"),
          responses: {
            200: ok("Updated.", ref("OrgDetails")),
            ...errors([400, 401, 403, 404, 413], {
              403: "The caller is not an instance admin (API tokens never are).",
            }),
          },
        }),
      },
    },
    schemas: {
      CreateOrgInput: jsonSchema(CreateOrgInput, "input"),
      OrgView: jsonSchema(OrgView, "output"),
      OrgDetails: jsonSchema(OrgDetails, "output"),
      OrgPatch: jsonSchema(OrgPatch, "input"),
    },
  };
}

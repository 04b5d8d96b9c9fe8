import { CreateOrgInput, OrgView } from "../orgs/schema";
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
    },
    schemas: { CreateOrgInput: jsonSchema(CreateOrgInput, "input"), OrgView: jsonSchema(OrgView, "output") },
  };
}

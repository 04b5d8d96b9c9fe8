import { z } from "zod";
import { Roles } from "../auth/roles";
import { slugId } from "../registries/schema";
import { typeError } from "../validation";

/** POST /api/orgs: an org id follows the rules of registry ids. */
export const CreateOrgInput = z.strictObject({
  id: slugId("Org ID"),
  name: z
    .string({ error: typeError("Name", "text") })
    .trim()
    .min(1, "Name is required")
    .max(120, "Name must be at most 120 characters"),
});
export type CreateOrgInput = z.infer<typeof CreateOrgInput>;

/** An org as its caller sees it: with the caller's role there. */
export const OrgView = z.object({ id: z.string(), name: z.string(), role: z.enum(Roles) });
export type OrgView = z.infer<typeof OrgView>;

/** An org in the instance admin's list of every org. */
export type OrgSummary = {
  id: string;
  name: string;
  members: number;
  admins: number;
  /** may its ECR registries use this server's AWS identity */
  awsDefaultChain: boolean;
  createdAt: string;
};

/** GET /api/orgs/{orgId}: the org and its keyless-ECR settings, for its members. */
export const OrgDetails = z.object({
  id: z.string(),
  name: z.string(),
  aws_external_id: z
    .string()
    .describe(
      "Sent as ExternalId when a registry assumes a role with aws_use_external_id; put it in the role's trust policy",
    ),
  aws_default_chain: z
    .boolean()
    .describe("Whether this org's ECR registries may use the server's own AWS identity (an instance admin's setting)"),
});
export type OrgDetails = z.infer<typeof OrgDetails>;

/** PATCH /api/orgs/{orgId} (instance admins only). */
export const OrgPatch = z.strictObject({
  aws_default_chain: z.boolean({
    error: typeError("May use this server's AWS identity (aws_default_chain)", "true or false"),
  }),
});
export type OrgPatch = z.infer<typeof OrgPatch>;

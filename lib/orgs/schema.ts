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
export type OrgSummary = { id: string; name: string; members: number; admins: number; createdAt: string };

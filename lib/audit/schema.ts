import { z } from "zod";

/** One audit entry; `details` carry ids and flags only, never credential values. */
export const AuditEntry = z.object({
  id: z.number().int(),
  actor: z.string().describe("a user's email, token:<name>, or system"),
  action: z.string().describe("such as registry.create or token.revoke"),
  target: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
  created_at: z.iso.datetime(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

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

/** A page of the log (the Audit screen); the REST API sends `entries` as its body and the cursor in a Link header. */
export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  next_cursor: z.string().nullable().describe("pass as ?cursor= for the next (older) page; null on the last page"),
});
export type AuditPage = z.infer<typeof AuditPage>;

import { z } from "zod";

/** GET /images/resolve: how the kubelet reads an image and which registry (so which regcred secret) it would use. */
export const ResolvedImage = z.object({
  domain: z.string(),
  path: z.string(),
  tag: z.string().nullable(),
  digest: z.string().nullable(),
  normalized: z.string().describe("domain/path[:tag][@digest]"),
  familiar: z.string().describe("Docker's short form, such as nginx or quay.io/x/y"),
  registry: z
    .object({ id: z.string(), registry: z.string(), type: z.string() })
    .nullable()
    .describe("the most specific registry that matches, or null"),
  secret: z.string().nullable().describe("regcred-<registry id>, or null when no registry or a public one matches"),
});
export type ResolvedImage = z.infer<typeof ResolvedImage>;

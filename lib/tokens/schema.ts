import { z } from "zod";
import { Roles } from "../auth/roles";
import { typeError } from "../validation";

export const CreateTokenInput = z.strictObject({
  name: z
    .string({ error: typeError("Name", "text") })
    .trim()
    .min(1, "Name is required")
    .max(80, "Name must be at most 80 characters")
    .regex(/^[^\u0000]*$/, "Name must not contain NUL characters"),
  role: z.enum(Roles, { error: typeError("Role", "viewer, manager or admin") }),
  ci: z.boolean({ error: typeError("CI access (ci)", "true or false") }).default(false),
});
export type CreateTokenInput = z.infer<typeof CreateTokenInput>;

export const TokenView = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe("The first 8 characters of the token, to recognise it."),
  role: z.enum(Roles),
  scopes: z.array(z.string()).describe('"ci" lets the token read /registries/{regId}/creds.'),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type TokenView = z.infer<typeof TokenView>;

/** POST /tokens: the view plus the plaintext, which is never shown again. */
export const CreatedToken = TokenView.extend({
  token: z.string().describe("The plaintext token; returned once, never again."),
});
export type CreatedToken = z.infer<typeof CreatedToken>;

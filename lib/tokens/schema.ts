import { z } from "zod";
import { Roles } from "../auth/roles";

export const CreateTokenInput = z.strictObject({
  name: z.string({ error: "must be a string" }).trim().min(1, "is required").max(80, "must be at most 80 characters"),
  role: z.enum(Roles, { error: "must be viewer, manager or admin" }),
  ci: z.boolean().default(false),
});
export type CreateTokenInput = z.infer<typeof CreateTokenInput>;

export type TokenView = {
  id: string;
  name: string;
  prefix: string;
  role: (typeof Roles)[number];
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

import { z } from "zod";
import { Roles } from "../auth/roles";

export const InviteUserInput = z.strictObject({
  email: z
    .email("must be an email address")
    .max(254)
    // RFC 5321's limit, which JSON Schema's "email" format includes and z.email's pattern does not.
    .refine((v) => v.slice(0, v.lastIndexOf("@")).length <= 64, "must have at most 64 characters before the @")
    .transform((v) => v.toLowerCase()),
  role: z.enum(Roles, { error: "must be viewer, manager or admin" }),
});

export const ChangeRoleInput = z.strictObject({
  role: z.enum(Roles, { error: "must be viewer, manager or admin" }),
});

export const AcceptInviteInput = z.strictObject({
  token: z.string().min(10),
  name: z.string().trim().min(1, "is required").max(120),
  password: z.string().min(12, "must be at least 12 characters").max(200),
});

export const SignInInput = z.strictObject({
  email: z.email("must be an email address").transform((v) => v.toLowerCase()),
  password: z.string().min(1, "is required"),
});

export const MemberView = z.object({
  userId: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(Roles),
  pending: z.boolean().describe("invited and not signed up yet"),
  createdAt: z.iso.datetime(),
});
export type MemberView = z.infer<typeof MemberView>;

/** POST /users: `invite_url` is the one-time sign-up link, or null when the user already had an account. */
export const InviteResponse = z.object({ email: z.string(), role: z.enum(Roles), invite_url: z.url().nullable() });
export type InviteResponse = z.infer<typeof InviteResponse>;

/** PATCH /users/{userId}. */
export const RoleChanged = z.object({ userId: z.string(), role: z.enum(Roles) });
export type RoleChanged = z.infer<typeof RoleChanged>;

/** What an invite returns; inviteToken is null when the user already had an account. */
export type InviteResult = {
  userId: string;
  email: string;
  role: (typeof Roles)[number];
  inviteToken: string | null;
};

import { z } from "zod";
import { Roles } from "../auth/roles";
import { typeError } from "../validation";

const Role = z.enum(Roles, { error: typeError("Role", "viewer, manager or admin") });

export const InviteUserInput = z.strictObject({
  email: z
    .email({ error: typeError("Email", "an email address such as name@example.com") })
    .max(254, "Email must be at most 254 characters")
    // RFC 5321's limit, which JSON Schema's "email" format includes and z.email's pattern does not.
    .refine((v) => v.slice(0, v.lastIndexOf("@")).length <= 64, "Email must have at most 64 characters before the @")
    .transform((v) => v.toLowerCase()),
  role: Role,
});

export const ChangeRoleInput = z.strictObject({ role: Role });

export const AcceptInviteInput = z.strictObject({
  token: z.string({ error: typeError("Invite token", "text") }).min(10, "Invite token is not valid"),
  name: z
    .string({ error: typeError("Name", "text") })
    .trim()
    .min(1, "Name is required")
    .max(120, "Name must be at most 120 characters"),
  password: z
    .string({ error: typeError("Password", "text") })
    .min(12, "Password must be at least 12 characters")
    .max(200, "Password must be at most 200 characters"),
});

export const SignInInput = z.strictObject({
  email: z
    .email({ error: typeError("Email", "an email address such as name@example.com") })
    .transform((v) => v.toLowerCase()),
  password: z.string({ error: typeError("Password", "text") }).min(1, "Password is required"),
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

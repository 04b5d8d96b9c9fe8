import { z } from "zod";
import { Roles } from "../auth/roles";

export const InviteUserInput = z.strictObject({
  email: z.email("must be an email address").max(254).transform((v) => v.toLowerCase()),
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

export type MemberView = {
  userId: string;
  email: string;
  name: string;
  role: (typeof Roles)[number];
  pending: boolean;
  createdAt: string;
};

/** What an invite returns; inviteToken is null when the user already had an account. */
export type InviteResult = {
  userId: string;
  email: string;
  role: (typeof Roles)[number];
  inviteToken: string | null;
};

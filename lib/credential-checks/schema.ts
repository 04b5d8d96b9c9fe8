import { z } from "zod";
import { RegistryPatch } from "../registries/schema";

export const CheckStatuses = ["valid", "invalid", "unreachable", "unsupported"] as const;
export type CheckStatus = (typeof CheckStatuses)[number];

/**
 * `policy`: the egress policy refused every address of a target before connecting.
 * `sts`: assuming an ECR registry's role (or reaching the server's AWS identity behind it), before `aws`.
 * `cluster` and `secret`: secret_ref checks, which read a source secret in each cluster first.
 */
export const CheckStepNames = [
  "dns",
  "policy",
  "connect",
  "tls",
  "http",
  "challenge",
  "auth",
  "token",
  "sts",
  "aws",
  "cluster",
  "secret",
] as const;
export type CheckStepName = (typeof CheckStepNames)[number];

export const CheckStep = z.object({
  step: z.enum(CheckStepNames),
  ok: z.boolean(),
  ms: z.number(),
  detail: z.string(),
});
export type CheckStep = z.infer<typeof CheckStep>;

/** The outcome of a credential check: a value, never an exception; holds no secret. */
export const CheckResult = z.object({
  status: z.enum(CheckStatuses),
  summary: z.string().describe("one human sentence"),
  failedStep: z.enum(CheckStepNames).nullable(),
  steps: z.array(CheckStep),
  proven: z
    .string()
    .nullable()
    .describe(
      'what the check demonstrated, e.g. "Basic login as alice to registry.example.com"; null when nothing was',
    ),
  expiresAt: z.string().nullable().describe("expiry of a minted credential (ECR token), ISO 8601"),
  checkedAt: z.string(),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** The concrete host[:port] a registry whose host has a glob is tested against (it must match the glob). */
export const TestHost = z
  .string({ error: "Host to test must be text" })
  .max(255, "Host to test must be at most 255 characters")
  .describe("For a registry whose host has the wildcard *: one host[:port] it matches, which the test connects to");

/** POST …/registries/{regId}/test: an optional body. */
export const StoredTestRequest = z.strictObject({ test_host: TestHost.optional() });
export type StoredTestRequest = z.infer<typeof StoredTestRequest>;

/** POST …/registries/test: a RegistryPatch, plus the host to test for a registry with a glob. */
export const UnsavedTestRequest = RegistryPatch.extend({ test_host: TestHost.optional() });
export type UnsavedTestRequest = z.infer<typeof UnsavedTestRequest>;

import type { RegistryType } from "../registries/schema";

export type CheckStatus = "valid" | "invalid" | "unreachable" | "unsupported";
/** `cluster` and `secret`: secret_ref checks, which read a source secret in each cluster first. */
export type CheckStepName = "dns" | "connect" | "tls" | "http" | "challenge" | "auth" | "token" | "aws" | "cluster" | "secret";
export type CheckStep = { step: CheckStepName; ok: boolean; ms: number; detail: string };

/** The outcome of a credential check: a value, never an exception; holds no secret. */
export type CheckResult = {
  status: CheckStatus;
  /** one human sentence */
  summary: string;
  failedStep: CheckStepName | null;
  steps: CheckStep[];
  /** what the check demonstrated, e.g. "Basic login as alice to registry.example.com"; null when nothing was */
  proven: string | null;
  /** expiry of a minted credential (ECR token), ISO 8601 */
  expiresAt: string | null;
  checkedAt: string;
};

export type CheckInput = {
  type: RegistryType;
  registry: string;
  creds: { username?: string; password?: string } | null;
  region?: string | null;
  caCert?: string | null;
  /** "<org>/<registry id>": keys the ECR token cache */
  cacheKey: string;
};

export type CheckOptions = {
  /** per step; REGCRED_CHECK_TIMEOUT_MS */
  timeoutMs: number;
  /** AWS_ENDPOINT_URL_ECR / REGCRED_ECR_ENDPOINT */
  ecrEndpoint?: string;
  now?: () => Date;
};

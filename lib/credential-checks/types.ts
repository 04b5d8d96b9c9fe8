import type { EgressPolicy } from "../net/egress";
import type { RegistryType } from "../registries/schema";

export type { CheckResult, CheckStatus, CheckStep, CheckStepName } from "./schema";

export type CheckInput = {
  type: RegistryType;
  registry: string;
  creds: { username?: string; password?: string } | null;
  region?: string | null;
  caCert?: string | null;
  /** "<org>/<registry id>": keys the ECR token cache */
  cacheKey: string;
  /** amazon_ecr: a role to assume, the external ID to send, and whether the org may use the server's AWS identity */
  aws?: { roleArn?: string | null; externalId?: string | null; defaultChain?: boolean };
};

export type CheckOptions = {
  /** per step; REGCRED_CHECK_TIMEOUT_MS */
  timeoutMs: number;
  /** AWS_ENDPOINT_URL_ECR / REGCRED_ECR_ENDPOINT */
  ecrEndpoint?: string;
  /** AWS_ENDPOINT_URL_STS */
  stsEndpoint?: string;
  /** where checks may connect (registry and token realm); the operator's REGCRED_EGRESS_* when omitted */
  egress?: EgressPolicy;
  now?: () => Date;
};

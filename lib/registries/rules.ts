import type { z } from "zod";
import type { FieldErrors } from "../errors";
import { ecrRegion } from "../images/ecr-host";
import type { SecretRefMap } from "./schema";
import { credentialLabels, type RegistryType } from "./types";

export type EffectiveRegistry = {
  type: RegistryType;
  registry: string;
  creds: { username?: string | undefined; password?: string | undefined } | null;
  secrets?: z.infer<typeof SecretRefMap> | null | undefined;
  region?: string | null | undefined;
  awsRoleArn?: string | null | undefined;
  awsUseExternalId?: boolean | undefined;
  /** may this org's ECR registries use the server's AWS identity (orgs.aws_default_chain) */
  awsDefaultChain?: boolean | undefined;
  /** an edit keeps the stored keys (or must type them again for a new destination): the source stays "keys" */
  keysKept?: boolean | undefined;
  /** the dialog's "Access keys" choice: empty keys are simply required, whatever the org may use */
  keysChosen?: boolean | undefined;
};

export const externalIdRequired =
  "Use external ID (aws_use_external_id) must be on to assume a role with the server's AWS identity: every org that may use that identity could otherwise assume the role";

export const defaultChainRefused =
  "Access key ID is required for Amazon ECR: this org may not use the server's AWS identity (an instance admin can allow the server's AWS identity for this org)";

function checkEcrSource(r: EffectiveRegistry, errors: FieldErrors): void {
  const keys = Boolean(r.creds?.username || r.creds?.password);
  const chain = !keys && !r.keysKept && !r.keysChosen;
  if (keys || r.keysChosen) requireCreds(r, errors);
  else if (chain && !r.awsDefaultChain) {
    errors["creds.username"] = defaultChainRefused;
    errors["creds.password"] = "Secret access key is required for Amazon ECR";
  }
  if (r.awsUseExternalId && !r.awsRoleArn)
    errors.aws_use_external_id =
      "Use external ID (aws_use_external_id) needs a role to assume: set aws_role_arn, or turn it off";
  // The server's identity is shared by every org allowed to use it: without the org's own external ID, one org could
  // assume a role another org's trust policy grants to that identity (the confused deputy).
  if (chain && r.awsRoleArn && !r.awsUseExternalId) errors.aws_use_external_id = externalIdRequired;
}

/** " for Amazon ECR": which registry type needs a credential, where the field's name alone does not say. */
const requiredFor: Partial<Record<RegistryType, string>> = {
  amazon_ecr: " for Amazon ECR",
  azure_acr: " for Azure ACR",
  google_gcr: " for Google Artifact Registry and GCR",
};

function requireCreds(r: EffectiveRegistry, errors: FieldErrors): void {
  const labels = credentialLabels[r.type];
  if (!labels) return;
  const suffix = requiredFor[r.type] ?? "";
  if (labels.username && !r.creds?.username) errors["creds.username"] = `${labels.username} is required${suffix}`;
  if (!r.creds?.password) errors["creds.password"] = `${labels.password} is required${suffix}`;
}

function checkServiceAccountJson(password: string | undefined, errors: FieldErrors): void {
  if (!password) return;
  try {
    const key = JSON.parse(password) as Record<string, unknown>;
    if (
      typeof key !== "object" ||
      key === null ||
      typeof key.client_email !== "string" ||
      typeof key.private_key !== "string"
    ) {
      errors["creds.password"] = "Service-account JSON key must contain client_email and private_key";
    }
  } catch {
    errors["creds.password"] = "Service-account JSON key is not valid JSON: paste the whole .json key file";
  }
}

/** Type-specific rules that a single field schema cannot express. */
export function checkRegistryRules(r: EffectiveRegistry): FieldErrors {
  const errors: FieldErrors = {};
  const hasCreds = Boolean(r.creds?.username || r.creds?.password);
  const hasSecrets = r.secrets !== null && r.secrets !== undefined;
  switch (r.type) {
    case "public":
      if (hasCreds) errors.creds = "A public registry takes no credentials";
      break;
    case "basic":
    case "azure_acr":
      requireCreds(r, errors);
      break;
    case "google_gcr":
      requireCreds(r, errors);
      checkServiceAccountJson(r.creds?.password, errors);
      break;
    case "amazon_ecr":
      checkEcrSource(r, errors);
      if (!ecrRegion(r.registry) && !r.region) {
        errors.registry =
          "Registry URL must be an ECR host such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com; for another host, set the region";
      }
      break;
    case "secret_ref":
      if (!r.secrets || Object.keys(r.secrets).length === 0)
        errors.secrets =
          "Add at least one cluster (or * for every cluster) with the namespace and name of the secret to copy";
      if (hasCreds) errors.creds = "A secret reference takes no credentials: they come from the secrets it copies";
      break;
  }
  if (hasSecrets && r.type !== "secret_ref") errors.secrets = "Secrets to copy only apply to a secret reference";
  if (r.region && r.type !== "amazon_ecr") errors.region = "Region only applies to Amazon ECR";
  if (r.awsRoleArn && r.type !== "amazon_ecr")
    errors.aws_role_arn = "Role ARN (aws_role_arn) only applies to Amazon ECR";
  if (r.awsUseExternalId && r.type !== "amazon_ecr")
    errors.aws_use_external_id = "Use external ID (aws_use_external_id) only applies to Amazon ECR";
  return errors;
}

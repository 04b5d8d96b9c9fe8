import type { z } from "zod";
import type { FieldErrors } from "../errors";
import { ecrRegion, type RegistryType, type SecretRefMap } from "./schema";

export type EffectiveRegistry = {
  type: RegistryType;
  registry: string;
  creds: { username?: string | undefined; password?: string | undefined } | null;
  secrets?: z.infer<typeof SecretRefMap> | null | undefined;
  region?: string | null | undefined;
};

function requireCreds(r: EffectiveRegistry, errors: FieldErrors, userLabel: string, passLabel: string): void {
  if (!r.creds?.username) errors["creds.username"] = `is required for type ${r.type} (${userLabel})`;
  if (!r.creds?.password) errors["creds.password"] = `is required for type ${r.type} (${passLabel})`;
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
      errors["creds.password"] = "must be a service-account JSON key with client_email and private_key";
    }
  } catch {
    errors["creds.password"] = "must be the service-account JSON key (it is not valid JSON)";
  }
}

/** Type-specific rules that a single field schema cannot express. */
export function checkRegistryRules(r: EffectiveRegistry): FieldErrors {
  const errors: FieldErrors = {};
  const hasCreds = Boolean(r.creds?.username || r.creds?.password);
  const hasSecrets = r.secrets !== null && r.secrets !== undefined;
  switch (r.type) {
    case "public":
      if (hasCreds) errors.creds = "must be omitted for type public";
      break;
    case "basic":
      requireCreds(r, errors, "username", "password");
      break;
    case "azure_acr":
      requireCreds(r, errors, "service principal id", "service principal secret");
      break;
    case "google_gcr":
      if (!r.creds?.password)
        errors["creds.password"] = "is required for type google_gcr (the service-account JSON key)";
      checkServiceAccountJson(r.creds?.password, errors);
      break;
    case "amazon_ecr":
      requireCreds(r, errors, "AWS access key id", "AWS secret access key");
      if (!ecrRegion(r.registry) && !r.region) {
        errors.registry =
          "must be an ECR host <account>.dkr.ecr.<region>.amazonaws.com, or set region for a non-standard host";
      }
      break;
    case "secret_ref":
      if (!r.secrets || Object.keys(r.secrets).length === 0)
        errors.secrets = "must map at least one cluster name or * to {namespace, secret}";
      if (hasCreds) errors.creds = "must be omitted for type secret_ref (credentials come from the referenced secrets)";
      break;
  }
  if (hasSecrets && r.type !== "secret_ref") errors.secrets = `must be omitted for type ${r.type}`;
  if (r.region && r.type !== "amazon_ecr") errors.region = "only applies to type amazon_ecr";
  return errors;
}

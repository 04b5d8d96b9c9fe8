// The registry types, their labels and the patterns of their fields: no zod, so client code can import them.
import type { RegistryType } from "./type-labels";

export { type RegistryType, RegistryTypes, typeLabels } from "./type-labels";

/** The user Google's registries (GCR, Artifact Registry) take with a service-account JSON key as the password. */
export const GCR_JSON_KEY_USER = "_json_key";

/** The username to log in with: the one given, else the one the type implies (google_gcr: `_json_key`). */
export function loginUsername(type: RegistryType, given: string | null | undefined): string | undefined {
  return given || (type === "google_gcr" ? GCR_JSON_KEY_USER : undefined);
}

export const registryIdPattern = /^[a-z0-9][a-z0-9-]+[a-z0-9]$/;
export const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// Every partition's regions: us-east-1, cn-north-1, us-gov-west-1, us-iso-east-1, eusc-de-east-1, …
export const awsRegionPattern = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;

/** An IAM role ARN in any partition: arn:aws[-cn|-us-gov|…]:iam::<12 digits>:role/<path/name>. */
export const awsRoleArnPattern = /^arn:aws[-a-z]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** A cluster key of a secret reference: * (every cluster) or a cluster's name. */
export function isClusterKey(k: string): boolean {
  return k === "*" || (k.length <= 253 && dns1123Subdomain.test(k));
}

/** "Add …" in the dialog title: what a user calls a registry of this type. */
export const typeNouns: Record<RegistryType, string> = {
  public: "a public registry",
  basic: "a registry with username and password",
  amazon_ecr: "an Amazon ECR registry",
  google_gcr: "a Google Artifact Registry or GCR registry",
  azure_acr: "an Azure Container Registry",
  secret_ref: "a registry from an existing secret",
};

/** The names of the credential fields per type, as the dialog labels them and error messages name them. */
export const credentialLabels: Partial<Record<RegistryType, { username: string | null; password: string }>> = {
  basic: { username: "Username", password: "Password" },
  azure_acr: { username: "Service principal ID", password: "Service principal secret" },
  amazon_ecr: { username: "Access key ID", password: "Secret access key" },
  google_gcr: { username: null, password: "Service-account JSON key" },
};

export const typesWithCreds: readonly RegistryType[] = ["basic", "amazon_ecr", "google_gcr", "azure_acr"];

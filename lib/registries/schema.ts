import { z } from "zod";
import { registryKeyPattern, registryKeyProblem } from "../images/registry-key";

export const RegistryTypes = ["public", "basic", "amazon_ecr", "google_gcr", "azure_acr", "secret_ref"] as const;
export type RegistryType = (typeof RegistryTypes)[number];

export const registryIdPattern = /^[a-z0-9][a-z0-9-]+[a-z0-9]$/;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export { ecrHostPattern, ecrRegion, ecrRegistryPattern } from "../images/ecr-host";
// Every partition's regions: us-east-1, cn-north-1, us-gov-west-1, us-iso-east-1, eusc-de-east-1, …
const awsRegionPattern = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;

export const RegistryId = z
  .string({ error: "must be a string" })
  .min(3, "must be at least 3 characters")
  .max(63, "must be at most 63 characters")
  .regex(registryIdPattern, "must match ^[a-z0-9][a-z0-9-]+[a-z0-9]$ (lowercase letters, digits and dashes)");

/** A key the kubelet's keyring parses and matches: host (labels may hold *, or [IPv6]:port), port, path prefix. */
export const RegistryUrl = z
  .string({ error: "must be a string" })
  .min(1, "is required")
  .max(255, "must be at most 255 characters")
  .superRefine((value, ctx) => {
    const problem = registryKeyProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .regex(registryKeyPattern, "must be {domain} or {domain}/{path}, for example registry.example.com/team");

export const RegistryCreds = z.strictObject({
  username: z.string({ error: "must be a string" }).max(1024, "must be at most 1024 characters").optional(),
  password: z.string({ error: "must be a string" }).max(65536, "must be at most 64 KiB").optional(),
  expires: z.string().optional(),
});

export const SecretRef = z.strictObject({
  namespace: z
    .string({ error: "must be a string" })
    .max(63, "must be at most 63 characters")
    .regex(dns1123Label, "must be a valid Kubernetes namespace name (lowercase RFC 1123 label)"),
  secret: z
    .string({ error: "must be a string" })
    .max(253, "must be at most 253 characters")
    .regex(dns1123Subdomain, "must be a valid Kubernetes secret name (lowercase RFC 1123 subdomain)"),
});

export const SecretRefMap = z.record(
  z
    .string()
    .refine((k) => k === "*" || (k.length <= 253 && dns1123Subdomain.test(k)), "keys must be * or a cluster name"),
  SecretRef,
);

const fields = {
  id: RegistryId,
  registry: RegistryUrl,
  type: z.enum(RegistryTypes, { error: `must be one of ${RegistryTypes.join(", ")}` }),
  enable_ci: z.boolean({ error: "must be true or false" }).optional(),
  creds: RegistryCreds.optional(),
  secrets: SecretRefMap.optional(),
  region: z.string().regex(awsRegionPattern, "must be an AWS region such as eu-west-1").optional(),
  ca_cert: z
    .string()
    .max(65536)
    .regex(/-----BEGIN CERTIFICATE-----/, "must be a PEM certificate")
    .regex(/^[^\u0000]*$/, "must not contain NUL characters")
    .optional(),
};

/** The body of POST /registries: Humanitec's RegistryRequest plus `region` and `ca_cert`. */
export const RegistryRequestShape = z.strictObject(fields);
export type RegistryRequest = z.infer<typeof RegistryRequestShape>;

/** PATCH: any subset of the create body. */
export const RegistryPatch = z.strictObject({
  ...fields,
  id: RegistryId.optional(),
  registry: RegistryUrl.optional(),
  type: fields.type.optional(),
});
export type RegistryPatch = z.infer<typeof RegistryPatch>;

export const RegistryResponse = z.object({
  id: z.string(),
  registry: z.string(),
  type: z.enum(RegistryTypes),
  enable_ci: z.boolean(),
  secrets: SecretRefMap.optional(),
  created_at: z.string().describe("YYYY-MM-DDTHH:MM:SS.mmmZ"),
  created_by: z.string(),
});
export type RegistryResponse = z.infer<typeof RegistryResponse>;

export const RegistryCredsResponse = z.object({
  registry: z.string(),
  username: z.string().optional(),
  password: z.string().optional(),
  expires: z.string().optional(),
  secrets: SecretRefMap.optional(),
});

export const typeLabels: Record<RegistryType, string> = {
  public: "Public",
  basic: "Username and password",
  amazon_ecr: "Amazon ECR",
  google_gcr: "Google GCR / Artifact Registry",
  azure_acr: "Azure ACR",
  secret_ref: "Secret reference",
};

export const typesWithCreds: readonly RegistryType[] = ["basic", "amazon_ecr", "google_gcr", "azure_acr"];

import { z } from "zod";
import { registryKeyPattern, registryKeyProblem } from "../images/registry-key";
import { typeError } from "../validation";

import {
  awsRegionPattern,
  awsRoleArnPattern,
  dns1123Label,
  dns1123Subdomain,
  isClusterKey,
  registryIdPattern,
  RegistryTypes,
} from "./types";

export {
  credentialLabels,
  GCR_JSON_KEY_USER,
  loginUsername,
  registryIdPattern,
  type RegistryType,
  RegistryTypes,
  typeLabels,
  typeNouns,
  typesWithCreds,
} from "./types";
export { ecrHostPattern, ecrRegion, ecrRegistryPattern } from "../images/ecr-host";

/** An id such as a registry's or an org's: `label` names it in the messages. */
export const slugId = (label: string) =>
  z
    .string({ error: typeError(label, "text") })
    .min(1, `${label} is required`)
    .min(3, `${label} must be at least 3 characters`)
    .max(63, `${label} must be at most 63 characters`)
    .regex(
      registryIdPattern,
      `${label} can only use lowercase letters, digits and hyphens, and must start and end with a letter or digit`,
    );

export const RegistryId = slugId("ID");

/** A key the kubelet's keyring parses and matches: host (labels may hold *, or [IPv6]:port), port, path prefix. */
export const RegistryUrl = z
  .string({ error: typeError("Registry URL", "text") })
  .min(1, "Registry URL is required")
  .max(255, "Registry URL must be at most 255 characters")
  .superRefine((value, ctx) => {
    const problem = value === "" ? null : registryKeyProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: `Registry URL ${problem}` });
  })
  .regex(
    registryKeyPattern,
    "Registry URL must be a host, optionally with a path, such as registry.example.com or registry.example.com/team",
  );

export const RegistryCreds = z.strictObject({
  username: z
    .string({ error: typeError("Username", "text") })
    .max(1024, "Username must be at most 1024 characters")
    .optional(),
  password: z
    .string({ error: typeError("Password", "text") })
    .max(65536, "Password must be at most 64 KiB")
    .optional(),
  expires: z.string({ error: typeError("Credential expiry", "text") }).optional(),
});

export const SecretRef = z.strictObject({
  namespace: z
    .string({ error: typeError("Namespace", "text") })
    .min(1, "Namespace is required")
    .max(63, "Namespace must be at most 63 characters")
    .regex(
      dns1123Label,
      "Namespace can only use lowercase letters, digits and hyphens, and must start and end with a letter or digit",
    ),
  secret: z
    .string({ error: typeError("Secret name", "text") })
    .min(1, "Secret name is required")
    .max(253, "Secret name must be at most 253 characters")
    .regex(
      dns1123Subdomain,
      "Secret name can only use lowercase letters, digits, '-' and '.', and must start and end with a letter or digit",
    ),
});

export const SecretRefMap = z.record(
  z.string().refine(isClusterKey, "Cluster must be * (every cluster) or a cluster's name"),
  SecretRef,
);

const fields = {
  id: RegistryId,
  registry: RegistryUrl,
  type: z.enum(RegistryTypes, { error: typeError("Type", `one of ${RegistryTypes.join(", ")}`) }),
  enable_ci: z.boolean({ error: typeError("CI access (enable_ci)", "true or false") }).optional(),
  creds: RegistryCreds.optional(),
  secrets: SecretRefMap.optional(),
  region: z
    .string({ error: typeError("Region", "text") })
    .regex(awsRegionPattern, "Region must be an AWS region such as eu-west-1")
    .optional(),
  aws_role_arn: z
    .string({ error: typeError("Role ARN (aws_role_arn)", "text or null") })
    .max(2048, "Role ARN (aws_role_arn) must be at most 2048 characters")
    .regex(
      awsRoleArnPattern,
      "Role ARN (aws_role_arn) must be an IAM role ARN such as arn:aws:iam::123456789012:role/regcred-pull",
    )
    .nullable()
    .optional()
    .describe("amazon_ecr only: a role to assume, from the access key in creds or else from the server's AWS identity"),
  aws_use_external_id: z
    .boolean({ error: typeError("Use external ID (aws_use_external_id)", "true or false") })
    .optional()
    .describe("amazon_ecr only: send the org's external ID (GET /api/orgs/{orgId}) as ExternalId with AssumeRole"),
  ca_cert: z
    .string({ error: typeError("CA certificate", "PEM text") })
    .max(65536, "CA certificate must be at most 64 KiB")
    .regex(/-----BEGIN CERTIFICATE-----/, "CA certificate must be a PEM certificate (-----BEGIN CERTIFICATE-----)")
    .regex(/^[^\u0000]*$/, "CA certificate must not contain NUL characters")
    .optional(),
};

/** The body of POST /registries: Humanitec's RegistryRequest plus `region` and `ca_cert`. */
export const RegistryRequestShape = z.strictObject(fields);
export type RegistryRequest = z.infer<typeof RegistryRequestShape>;

/** PATCH: any subset of the create body; `creds: null` removes stored credentials (an ECR registry goes keyless). */
export const RegistryPatch = z.strictObject({
  ...fields,
  id: RegistryId.optional(),
  registry: RegistryUrl.optional(),
  type: fields.type.optional(),
  creds: RegistryCreds.nullable().optional(),
  aws_confirm_identity: z
    .boolean({ error: typeError("Confirm the AWS identity (aws_confirm_identity)", "true or false") })
    .optional()
    .describe(
      "amazon_ecr without stored keys: true confirms a change of aws_role_arn or aws_use_external_id (who tokens are minted as)",
    ),
});
export type RegistryPatch = z.infer<typeof RegistryPatch>;

export const RegistryResponse = z.object({
  id: z.string(),
  registry: z.string(),
  type: z.enum(RegistryTypes),
  enable_ci: z.boolean(),
  secrets: SecretRefMap.optional(),
  aws_role_arn: z.string().nullable().optional().describe("amazon_ecr only"),
  aws_use_external_id: z.boolean().optional().describe("amazon_ecr only"),
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

import type { z } from "zod";
import type { FieldErrors } from "../errors";
import { type Destination, destinationChanges, identityRebindErrors, rebindErrors } from "./destination";
import { checkRegistryFields } from "./form-checks";
import { checkRegistryRules } from "./rules";
import type { RegistryRequestShape } from "./schema";
import type { RegistryType } from "./types";

export type SecretRow = { cluster: string; namespace: string; secret: string };

/** How an ECR registry gets AWS credentials: its access keys, the server's AWS identity, or a role from either. */
export const AwsAuthModes = ["keys", "chain", "role-keys", "role-chain"] as const;
export type AwsAuthMode = (typeof AwsAuthModes)[number];
export const usesKeys = (m: AwsAuthMode) => m === "keys" || m === "role-keys";
export const usesRole = (m: AwsAuthMode) => m === "role-keys" || m === "role-chain";

export type RegistryFormValues = {
  id: string;
  registry: string;
  type: RegistryType;
  enableCi: boolean;
  username: string;
  password: string;
  region: string;
  caCert: string;
  secrets: SecretRow[];
  awsAuth: AwsAuthMode;
  awsRoleArn: string;
  awsUseExternalId: boolean;
  /** edit of a keyless registry: the manager confirms a new role or external-ID use */
  awsConfirmIdentity: boolean;
};

export function emptyForm(type: RegistryType): RegistryFormValues {
  return {
    id: "",
    registry: "",
    type,
    enableCi: false,
    username: "",
    password: "",
    region: "",
    caCert: "",
    secrets: type === "secret_ref" ? [{ cluster: "*", namespace: "", secret: "" }] : [],
    awsAuth: "keys",
    awsRoleArn: "",
    awsUseExternalId: false,
    awsConfirmIdentity: false,
  };
}

export type RegistryBody = z.input<typeof RegistryRequestShape>;

/** The REST body for the form; blank credentials are left out so stored ones are kept. */
export function toRequestBody(v: RegistryFormValues): RegistryBody {
  const body: RegistryBody = { id: v.id.trim(), registry: v.registry.trim(), type: v.type, enable_ci: v.enableCi };
  const ecr = v.type === "amazon_ecr";
  const creds: NonNullable<RegistryBody["creds"]> = {};
  if (!ecr || usesKeys(v.awsAuth)) {
    if (v.username.trim()) creds.username = v.username.trim();
    if (v.password) creds.password = v.password;
  }
  if (Object.keys(creds).length > 0) body.creds = creds;
  if (ecr) {
    body.aws_role_arn = usesRole(v.awsAuth) ? v.awsRoleArn.trim() : null;
    // The server's identity always sends the org's external ID when it assumes a role (the API refuses it otherwise).
    body.aws_use_external_id = v.awsAuth === "role-chain" || (usesRole(v.awsAuth) && v.awsUseExternalId);
  }
  if (v.type === "secret_ref")
    body.secrets = Object.fromEntries(
      v.secrets.map((r) => [r.cluster.trim(), { namespace: r.namespace.trim(), secret: r.secret.trim() }]),
    );
  if (v.type === "amazon_ecr" && v.region.trim()) body.region = v.region.trim();
  if (v.caCert.trim()) body.ca_cert = v.caCert.trim();
  return body;
}

function secretRowErrors(rows: SecretRow[]): FieldErrors {
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const key = r.cluster.trim();
    if (seen.has(key)) errors[`secrets.${i}.cluster`] = `Cluster "${key}" has two rows: keep one secret per cluster`;
    seen.add(key);
  });
  return errors;
}

/**
 * Same checks as the server, so errors show next to fields before submitting. `stored` is the saved
 * registry being edited: moving its credentials to another type, host or region needs them typed again
 * (the stored CA is not sent to the browser, so a CA change is left to the server).
 */
export function validateRegistryForm(
  v: RegistryFormValues,
  storedCreds: boolean,
  stored?: Destination,
  awsDefaultChain = false,
): FieldErrors {
  const body = toRequestBody(v);
  const errors = checkRegistryFields(body);
  const keyless = v.type === "amazon_ecr" && !usesKeys(v.awsAuth);
  // Keys left blank on an edit are kept by the server, so an ECR registry with stored keys is not keyless.
  storedCreds = storedCreds && !keyless;
  const creds = body.creds ?? null;
  const rules = checkRegistryRules({
    type: v.type,
    registry: v.registry.trim(),
    creds,
    secrets: body.secrets,
    region: v.region.trim() || null,
    awsRoleArn: body.aws_role_arn,
    awsUseExternalId: body.aws_use_external_id,
    awsDefaultChain: keyless ? awsDefaultChain : false,
    keysChosen: v.type === "amazon_ecr" && usesKeys(v.awsAuth),
  });
  const changes = stored
    ? destinationChanges(
        { ...stored, caCert: null },
        {
          type: v.type,
          registry: v.registry.trim(),
          region: v.region.trim() || null,
          caCert: null,
          awsRoleArn: body.aws_role_arn ?? null,
          awsUseExternalId: body.aws_use_external_id ?? false,
        },
      )
    : [];
  // A credential field left blank keeps its stored value (the server merges them field by field).
  const keptBlank = (k: string) =>
    storedCreds &&
    changes.length === 0 &&
    ((k === "creds.username" && !creds?.username) || (k === "creds.password" && !creds?.password));
  for (const [k, msg] of Object.entries(rules)) {
    if (!keptBlank(k)) errors[k] ??= msg;
  }
  if (storedCreds && stored) Object.assign(errors, rebindErrors(changes, stored, v.type, creds));
  if (keyless && stored) Object.assign(errors, identityRebindErrors(changes, stored, v.awsConfirmIdentity));
  return { ...errors, ...(v.type === "secret_ref" ? secretRowErrors(v.secrets) : {}) };
}

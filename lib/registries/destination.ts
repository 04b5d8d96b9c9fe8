import type { FieldErrors } from "../errors";
import { registryDestinationHost } from "./host";
import { ecrRegion } from "../images/ecr-host";
import { credentialLabels, type RegistryType, typeLabels, typesWithCreds } from "./types";

/** Where a registry's credentials are sent: its type, host, (ECR) region and trusted CA; for ECR, the role assumed. */
export type Destination = {
  type: RegistryType;
  registry: string;
  region?: string | null;
  caCert?: string | null;
  awsRoleArn?: string | null;
  awsUseExternalId?: boolean;
};
export type DestinationField = "type" | "registry" | "region" | "ca_cert" | "aws_role_arn" | "aws_use_external_id";
export type GivenCreds = { username?: string | undefined; password?: string | undefined } | null | undefined;

function effectiveRegion(d: Destination): string | null {
  return d.type === "amazon_ecr" ? d.region || ecrRegion(d.registry) : null;
}

function pem(ca: string | null | undefined): string | null {
  return ca?.replace(/\r\n/g, "\n").trim() || null;
}

/** The fields in which `next` would send credentials somewhere `stored` does not; a new path on the same host is the same destination. */
export function destinationChanges(stored: Destination, next: Destination): DestinationField[] {
  const changes: DestinationField[] = [];
  if (stored.type !== next.type) changes.push("type");
  if (registryDestinationHost(stored.registry) !== registryDestinationHost(next.registry)) changes.push("registry");
  if (effectiveRegion(stored) !== effectiveRegion(next)) changes.push("region");
  if (pem(stored.caCert) !== pem(next.caCert)) changes.push("ca_cert");
  if (stored.type === "amazon_ecr" || next.type === "amazon_ecr") {
    if ((stored.awsRoleArn || null) !== (next.awsRoleArn || null)) changes.push("aws_role_arn");
    if (Boolean(stored.awsUseExternalId) !== Boolean(next.awsUseExternalId)) changes.push("aws_use_external_id");
  }
  return changes;
}

const names: Record<DestinationField, string> = {
  type: "type",
  registry: "registry host",
  region: "region",
  ca_cert: "CA certificate",
  aws_role_arn: "role ARN",
  aws_use_external_id: "external ID use",
};

const identityFields: readonly DestinationField[] = ["aws_role_arn", "aws_use_external_id"];

/**
 * A registry without stored keys mints as the server's AWS identity: changing the role it assumes (or the external
 * ID it sends) changes whose tokens it gets, so a manager must confirm it explicitly (aws_confirm_identity).
 */
export function identityRebindErrors(
  changes: DestinationField[],
  stored: Destination,
  confirmed: boolean,
): FieldErrors {
  const changed = changes.filter((c) => identityFields.includes(c));
  if (changed.length === 0 || confirmed) return {};
  const from = stored.awsRoleArn ? `role ${stored.awsRoleArn}` : "the server's own AWS identity";
  const message = `The ${changed.map((c) => names[c]).join(" and ")} changed: tokens would be minted as another AWS identity than ${from}. Confirm it (aws_confirm_identity: true) to save`;
  return Object.fromEntries(changed.map((c) => [c, message]));
}

/** Why a credential field must be typed again: one sentence naming the field, what changed and where stored ones may go. */
export function rebindReason(label: string, changes: DestinationField[], stored: Destination): string {
  const what = changes.map((c) => names[c]).join(" and ");
  const host = registryDestinationHost(stored.registry);
  return `${label} is required again: the ${what} changed, and stored credentials are only sent where they were saved (${typeLabels[stored.type]} at ${host})`;
}

/**
 * Field errors when a body points stored credentials at another destination without bringing its own:
 * the secret (creds.password) always, the user name too unless the type has a fixed one (google_gcr).
 */
export function rebindErrors(
  changes: DestinationField[],
  stored: Destination,
  type: RegistryType,
  given: GivenCreds,
): FieldErrors {
  const labels = credentialLabels[type];
  if (changes.length === 0 || !typesWithCreds.includes(type) || !labels) return {};
  const errors: FieldErrors = {};
  if (!given?.username && labels.username) errors["creds.username"] = rebindReason(labels.username, changes, stored);
  if (!given?.password) errors["creds.password"] = rebindReason(labels.password, changes, stored);
  return errors;
}

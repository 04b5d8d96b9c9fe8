import type { z } from "zod";
import type { FieldErrors } from "../errors";
import { type Destination, destinationChanges, rebindErrors } from "./destination";
import { checkRegistryFields } from "./form-checks";
import { checkRegistryRules } from "./rules";
import type { RegistryRequestShape } from "./schema";
import type { RegistryType } from "./types";

export type SecretRow = { cluster: string; namespace: string; secret: string };

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
  };
}

export type RegistryBody = z.input<typeof RegistryRequestShape>;

/** The REST body for the form; blank credentials are left out so stored ones are kept. */
export function toRequestBody(v: RegistryFormValues): RegistryBody {
  const body: RegistryBody = { id: v.id.trim(), registry: v.registry.trim(), type: v.type, enable_ci: v.enableCi };
  const creds: NonNullable<RegistryBody["creds"]> = {};
  if (v.username.trim()) creds.username = v.username.trim();
  if (v.password) creds.password = v.password;
  if (Object.keys(creds).length > 0) body.creds = creds;
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
export function validateRegistryForm(v: RegistryFormValues, storedCreds: boolean, stored?: Destination): FieldErrors {
  const body = toRequestBody(v);
  const errors = checkRegistryFields(body);
  const creds = body.creds ?? null;
  const rules = checkRegistryRules({
    type: v.type,
    registry: v.registry.trim(),
    creds,
    secrets: body.secrets,
    region: v.region.trim() || null,
  });
  const changes = stored
    ? destinationChanges(
        { ...stored, caCert: null },
        { type: v.type, registry: v.registry.trim(), region: v.region.trim() || null, caCert: null },
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
  return { ...errors, ...(v.type === "secret_ref" ? secretRowErrors(v.secrets) : {}) };
}

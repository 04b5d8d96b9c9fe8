import { sha256Hex } from "./content";

export const LABEL_PREFIX = "regcred.dev/";
export const REGISTRY_LABEL = `${LABEL_PREFIX}registry`;
/** The credential's own expiry as YYYYMMDDTHHMMSSZ (label values cannot hold ":"). */
export const EXPIRES_LABEL = `${LABEL_PREFIX}expires`;
export const ENVIRONMENT_LABEL = `${LABEL_PREFIX}environment`;
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
/** The installation (its database) and the org that wrote the object; see ownership.ts. */
export const INSTALLATION_LABEL = `${LABEL_PREFIX}installation`;
export const ORG_LABEL = `${LABEL_PREFIX}org`;
export const MANAGED_BY_VALUE = "regcred";
export const CONTENT_HASH_ANNOTATION = `${LABEL_PREFIX}content-hash`;
/** When a namespace stopped using the registry (ISO 8601); the grace period runs from here. */
export const UNUSED_SINCE_ANNOTATION = `${LABEL_PREFIX}unused-since`;
export const ARGOCD_COMPARE_ANNOTATION = "argocd.argoproj.io/compare-options";
export const ARGOCD_COMPARE_VALUE = "IgnoreExtraneous";
export const SECRET_NAME_PREFIX = "regcred-";
/** A namespace carrying this label with the value "true" is never touched by Regcred. */
export const IGNORE_LABEL = `${LABEL_PREFIX}ignore`;
/** On the MutatingWebhookConfiguration Regcred registers: the cluster it serves. */
export const CLUSTER_ID_LABEL = `${LABEL_PREFIX}cluster-id`;

/** Set by Kubernetes on every namespace: its name (selectable, unlike metadata.name). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
/** Kubernetes' defaults for an object without a namespace and a pod without a ServiceAccount. */
export const DEFAULT_NAMESPACE = "default";
export const DEFAULT_SERVICE_ACCOUNT = "default";

/** The label keys Regcred owns on its secrets; the planner compares exactly these. */
export const OWN_LABEL_KEYS = [
  REGISTRY_LABEL,
  EXPIRES_LABEL,
  ENVIRONMENT_LABEL,
  MANAGED_BY_LABEL,
  INSTALLATION_LABEL,
  ORG_LABEL,
] as const;

export type ObjectLabels = { labels?: Readonly<Record<string, string>> | null };

const labelValueMax = 63;
const expiryPattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function secretNameFor(registryId: string): string {
  return `${SECRET_NAME_PREFIX}${registryId}`;
}

export function formatExpiryLabel(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

export function parseExpiryLabel(value: string): Date | null {
  const m = expiryPattern.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 31 Feb over to March; a label that does not round-trip is not a real instant.
  return formatExpiryLabel(date) === value ? date : null;
}

/** True only for secrets Regcred wrote: managed-by=regcred and a registry label. */
export function isManagedSecret(meta: ObjectLabels): boolean {
  const labels = meta.labels ?? {};
  return labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && Boolean(labels[REGISTRY_LABEL]);
}

/**
 * Makes any text a valid label value: invalid characters become "-", ends are alphanumeric, and
 * values over 63 characters keep a prefix plus a short hash of the whole so they stay distinct.
 */
export function toLabelValue(text: string): string {
  const cleaned = trimEnds(text.replace(/[^A-Za-z0-9._-]+/g, "-"));
  if (cleaned.length <= labelValueMax) return cleaned;
  const suffix = sha256Hex(text).slice(0, 8);
  return `${trimEnds(cleaned.slice(0, labelValueMax - suffix.length - 1))}-${suffix}`;
}

function trimEnds(text: string): string {
  return text.replace(/^[^A-Za-z0-9]+/, "").replace(/[^A-Za-z0-9]+$/, "");
}

export type EnvironmentInput = {
  clusterName: string;
  namespace: string;
  namespaceLabels?: Readonly<Record<string, string>>;
  /** A namespace label whose value, when present, names the environment instead. */
  environmentLabel?: string;
};

/** `<cluster>.<namespace>`, or the namespace's `environmentLabel` value when it has one; always a valid label value. */
export function environmentValue(input: EnvironmentInput): string {
  const fromLabel = input.environmentLabel ? input.namespaceLabels?.[input.environmentLabel] : undefined;
  const value = fromLabel ? toLabelValue(fromLabel) : "";
  return value !== "" ? value : toLabelValue(`${input.clusterName}.${input.namespace}`);
}

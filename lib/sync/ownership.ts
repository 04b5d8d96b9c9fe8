import { sha256Hex } from "./content";
import * as L from "./labels";

/** Who wrote an object: one installation (its database) and one org in it. */
export type Owner = { installation: string; org: string };

export { INSTALLATION_LABEL, ORG_LABEL } from "./labels";
/** On a ServiceAccount, per installation: JSON `{"<org>": ["regcred-…", …]}`, the imagePullSecrets entries it added. */
export const PULL_SECRETS_ANNOTATION_PREFIX = `${L.LABEL_PREFIX}pull-secrets.`;

type Meta = { labels?: Readonly<Record<string, string>> | null };
type Annotated = { annotations?: Readonly<Record<string, string>> | null };

export function ownerLabels(owner: Owner): Record<string, string> {
  return { [L.INSTALLATION_LABEL]: owner.installation, [L.ORG_LABEL]: L.toLabelValue(owner.org) };
}

/** Written by this installation and org: Regcred's labels plus both identity labels. */
export function isOwnedBy(meta: Meta, owner: Owner): boolean {
  const labels = meta.labels ?? {};
  return (
    L.isManagedSecret(meta) &&
    labels[L.INSTALLATION_LABEL] === owner.installation &&
    labels[L.ORG_LABEL] === L.toLabelValue(owner.org)
  );
}

/** Written by a release before installation identities: managed-by=regcred and a registry label, no installation label. */
export function isLegacySecret(meta: Meta): boolean {
  return L.isManagedSecret(meta) && !meta.labels?.[L.INSTALLATION_LABEL];
}

/** Short and stable per installation and org: tells two owners' secrets for the same registry id apart. */
export function ownerTag(owner: Owner): string {
  return sha256Hex(`${owner.installation}/${owner.org}`).slice(0, 8);
}

/** The name used where `regcred-<id>` belongs to someone else in that namespace. */
export function alternateSecretName(registryId: string, owner: Owner): string {
  return `${L.secretNameFor(registryId)}-${ownerTag(owner)}`;
}

/** A name in a namespace: this owner's, free, another Regcred owner's, or a secret Regcred does not manage. */
export type NameClaim = "mine" | "free" | "other" | "foreign";

/**
 * Keeps the name it already holds; else `regcred-<id>` when free; else, when another Regcred owner holds that name,
 * its own alternate name. A secret Regcred does not manage keeps the name (a conflict: nothing is written).
 */
export function chooseSecretName(registryId: string, owner: Owner, claim: (name: string) => NameClaim): string {
  const primary = L.secretNameFor(registryId);
  const alternate = alternateSecretName(registryId, owner);
  const p = claim(primary);
  if (p === "mine") return primary;
  if (claim(alternate) === "mine") return alternate;
  return p === "other" ? alternate : primary;
}

export function pullSecretsAnnotationKey(installation: string): string {
  return `${PULL_SECRETS_ANNOTATION_PREFIX}${installation}`;
}

function parseRecord(value: string | undefined): Record<string, string[]> {
  if (!value) return {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.filter((n): n is string => typeof n === "string") : [],
      ]),
    );
  } catch {
    return {};
  }
}

/** The imagePullSecrets entries this owner recorded as its own on a ServiceAccount. */
export function recordedPullSecrets(sa: Annotated, owner: Owner): string[] {
  return parseRecord(sa.annotations?.[pullSecretsAnnotationKey(owner.installation)])[owner.org] ?? [];
}

/** The annotation value after this owner's entries become `names` (other orgs of the installation kept); null when empty. */
export function recordPullSecrets(sa: Annotated, owner: Owner, names: readonly string[]): string | null {
  const record = parseRecord(sa.annotations?.[pullSecretsAnnotationKey(owner.installation)]);
  if (names.length > 0) record[owner.org] = [...new Set(names)].sort();
  else delete record[owner.org];
  const orgs = Object.keys(record).sort();
  return orgs.length === 0 ? null : JSON.stringify(Object.fromEntries(orgs.map((o) => [o, record[o]])));
}

/**
 * Lease names per installation and cluster (two installations, or two orgs' registrations of one cluster, never
 * share one): `regcred-<installation>-<cluster id>`, cut to a DNS-1123 label of at most 63 characters.
 */
export function leaseNameFor(installation: string, clusterId: string): string {
  const name = `regcred-${installation}-${clusterId}`.toLowerCase().replace(/[^a-z0-9-]+/g, "-");
  if (name.length <= 63) return name.replace(/-+$/, "");
  return `${name.slice(0, 54).replace(/-+$/, "")}-${sha256Hex(name).slice(0, 8)}`;
}

import {
  DOCKERCFG_KEY,
  DOCKERCFG_TYPE,
  DOCKERCONFIGJSON_KEY,
  DOCKERCONFIGJSON_TYPE,
  hostsOf,
  parseDockerConfigJson,
} from "../images/dockerconfig";
import { parseJsonOrNull } from "../json";
import type { RegistryType } from "../registries/schema";
import { decodeBase64Utf8 } from "../sync/content";
import { EXPIRES_LABEL, isManagedSecret, parseExpiryLabel, REGISTRY_LABEL, SECRET_NAME_PREFIX } from "../sync/labels";
import type { SecretRow, WorkloadRef } from "./schema";
import { secretStatus } from "./status";

export type SecretObject = {
  namespace: string;
  name: string;
  type: string;
  labels: Readonly<Record<string, string>>;
  /** base64 values as the API returns them; read for the `auths` keys only */
  data: Readonly<Record<string, string>>;
  createdAt: string | null;
};
export type PullSecretUser = { namespace: string; name: string; imagePullSecrets: readonly string[] };
export type WorkloadObject = PullSecretUser & { kind: string };
export type RegistryInfo = { id: string; type: RegistryType };

export type ClusterInventory = {
  cluster: { id: string; name: string };
  secrets: readonly SecretObject[];
  serviceAccounts: readonly PullSecretUser[];
  workloads: readonly WorkloadObject[];
};

/** Regcred's own secrets (by label, any type) and any other dockerconfigjson secret named regcred-*. */
export function isRegcredSecret(s: Pick<SecretObject, "name" | "type" | "labels">): boolean {
  return isManagedSecret(s) || (s.type === DOCKERCONFIGJSON_TYPE && s.name.startsWith(SECRET_NAME_PREFIX));
}

/** The registry hosts a pull secret holds credentials for, or why they cannot be read; never a credential. */
export function pullSecretHosts(s: Pick<SecretObject, "type" | "data">): { hosts: string[]; problem: string | null } {
  const key = s.type === DOCKERCFG_TYPE ? DOCKERCFG_KEY : DOCKERCONFIGJSON_KEY;
  const raw = s.data[key];
  if (raw === undefined) return { hosts: [], problem: `it has no ${key} key` };
  const text = decodeBase64Utf8(raw);
  if (text === null) return { hosts: [], problem: `its ${key} is not base64 UTF-8` };
  if (s.type === DOCKERCFG_TYPE) {
    const legacy = parseDockerConfigJson(JSON.stringify({ auths: parseJsonOrNull(text) }));
    return legacy.ok
      ? { hosts: hostsOf(legacy.value), problem: null }
      : { hosts: [], problem: `its ${DOCKERCFG_KEY} does not parse: ${legacy.reason}` };
  }
  const parsed = parseDockerConfigJson(text);
  return parsed.ok
    ? { hosts: hostsOf(parsed.value), problem: null }
    : { hosts: [], problem: `its ${DOCKERCONFIGJSON_KEY} does not parse: ${parsed.reason}` };
}

type Users = { serviceAccounts: string[]; workloads: WorkloadRef[] };

/** Who references each secret by name in its namespace: ServiceAccounts and pod (template) specs. */
export function indexReferences(
  serviceAccounts: readonly PullSecretUser[],
  workloads: readonly WorkloadObject[],
): Map<string, Users> {
  const index = new Map<string, Users>();
  const entry = (namespace: string, secret: string) => {
    const key = `${namespace}/${secret}`;
    let users = index.get(key);
    if (!users) index.set(key, (users = { serviceAccounts: [], workloads: [] }));
    return users;
  };
  for (const sa of serviceAccounts)
    for (const secret of new Set(sa.imagePullSecrets)) entry(sa.namespace, secret).serviceAccounts.push(sa.name);
  for (const w of workloads)
    for (const secret of new Set(w.imagePullSecrets))
      entry(w.namespace, secret).workloads.push({ kind: w.kind, name: w.name });
  for (const users of index.values()) {
    users.serviceAccounts.sort();
    users.workloads.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  }
  return index;
}

function parseDate(iso: string | null): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

function registryIdOf(s: SecretObject, managed: boolean): string | null {
  if (managed) return s.labels[REGISTRY_LABEL] ?? null;
  return s.name.startsWith(SECRET_NAME_PREFIX) ? s.name.slice(SECRET_NAME_PREFIX.length) || null : null;
}

function toRow(
  s: SecretObject,
  inv: ClusterInventory,
  registries: ReadonlyMap<string, RegistryType>,
  users: Users | undefined,
  now: Date,
): SecretRow {
  const managed = isManagedSecret(s);
  const registryId = registryIdOf(s, managed);
  const notes: string[] = [];
  const expiryLabel = s.labels[EXPIRES_LABEL];
  const expiresAt = expiryLabel ? parseExpiryLabel(expiryLabel) : null;
  if (expiryLabel && !expiresAt) notes.push(`the ${EXPIRES_LABEL} label "${expiryLabel}" is not YYYYMMDDTHHMMSSZ`);
  const { hosts, problem } = pullSecretHosts(s);
  if (problem) notes.push(problem);
  const registryType = registryId ? (registries.get(registryId) ?? null) : null;
  const decision = secretStatus({
    managed,
    registryId,
    registryType,
    expiresAt,
    createdAt: parseDate(s.createdAt),
    now,
  });
  return {
    cluster_id: inv.cluster.id,
    cluster: inv.cluster.name,
    namespace: s.namespace,
    name: s.name,
    type: s.type,
    managed,
    registry: { id: registryId, exists: registryType !== null, hosts },
    expires_at: expiresAt?.toISOString() ?? null,
    status: decision.status,
    status_reason: decision.reason,
    created_at: parseDate(s.createdAt)?.toISOString() ?? null,
    labels: { ...s.labels },
    references: { service_accounts: users?.serviceAccounts ?? [], workloads: users?.workloads ?? [] },
    notes,
  };
}

/** The rows of one cluster: each regcred secret once (the LISTs may overlap), with status and references. */
export function buildSecretRows(inv: ClusterInventory, registries: readonly RegistryInfo[], now: Date): SecretRow[] {
  const types = new Map(registries.map((r) => [r.id, r.type]));
  const references = indexReferences(inv.serviceAccounts, inv.workloads);
  const seen = new Set<string>();
  const rows: SecretRow[] = [];
  for (const s of inv.secrets) {
    const key = `${s.namespace}/${s.name}`;
    if (seen.has(key) || !isRegcredSecret(s)) continue;
    seen.add(key);
    rows.push(toRow(s, inv, types, references.get(key), now));
  }
  return rows;
}

import { DOCKERCFG_TYPE, DOCKERCONFIGJSON_TYPE } from "@/lib/images/dockerconfig";
import type { KubeSecret, KubeServiceAccount } from "@/lib/integrations/kube";
import type { RegistryType } from "@/lib/registries/types";
import { EXPIRES_LABEL, parseExpiryLabel, REGISTRY_LABEL, secretNameFor } from "@/lib/sync/labels";
import { isOwnedBy, type Owner } from "@/lib/sync/ownership";
import { formatRelative } from "@/lib/time";
import type { Reason } from "./schema";

/** What a namespace holds for one registry: this installation's secret (any of its names), or why none counts. */
export type SecretFact = { ok: true; name: string; reason: Reason } | { ok: false; reason: Reason };

export type NamespaceObjects = {
  secrets: ReadonlyMap<string, readonly KubeSecret[]>;
  serviceAccounts: ReadonlyMap<string, ReadonlyMap<string, KubeServiceAccount>>;
};

export function groupByNamespace(
  secrets: readonly KubeSecret[],
  serviceAccounts: readonly KubeServiceAccount[],
): NamespaceObjects {
  const s = new Map<string, KubeSecret[]>();
  for (const secret of secrets) s.set(secret.namespace, [...(s.get(secret.namespace) ?? []), secret]);
  const sa = new Map<string, Map<string, KubeServiceAccount>>();
  for (const a of serviceAccounts) {
    const m = sa.get(a.namespace) ?? new Map<string, KubeServiceAccount>();
    m.set(a.name, a);
    sa.set(a.namespace, m);
  }
  return { secrets: s, serviceAccounts: sa };
}

const usableTypes = (type: RegistryType) =>
  type === "secret_ref" ? [DOCKERCONFIGJSON_TYPE, DOCKERCFG_TYPE] : [DOCKERCONFIGJSON_TYPE];

/**
 * The registry's pull secret in the namespace: present, of a type the kubelet reads, and unexpired by its expiry label.
 * `failure` says why the last refresh could not renew it, when the controller recorded one.
 */
export function secretFact(
  secrets: readonly KubeSecret[],
  registry: { id: string; type: RegistryType },
  owner: Owner,
  now: Date,
  failure: string | undefined,
): SecretFact {
  const primary = secretNameFor(registry.id);
  const mine = secrets.find((s) => s.labels[REGISTRY_LABEL] === registry.id && isOwnedBy(s, owner));
  if (!mine) {
    const other = secrets.find((s) => s.name === primary);
    const why = failure ? ` Regcred could not produce the credential: ${failure}.` : "";
    if (other)
      return {
        ok: false,
        reason: {
          code: "secret_not_managed",
          severity: "fail",
          text: `${primary} exists in this namespace but Regcred did not write it, so it will not write its own there.${why}`,
          fix: `Delete or rename the secret ${primary} so that Regcred can write its own.`,
        },
      };
    return {
      ok: false,
      reason: {
        code: "secret_missing",
        severity: "fail",
        text: `The pull secret ${primary} is not in this namespace.${why}`,
        fix: failure
          ? "Fix the registry's credentials (Registries → Test credentials), then sync the cluster."
          : "Sync the cluster (Sync → Sync now); if it stays missing, check that the namespace is in the cluster's scope.",
      },
    };
  }
  if (!usableTypes(registry.type).includes(mine.type))
    return {
      ok: false,
      reason: {
        code: "secret_wrong_type",
        severity: "fail",
        text: `${mine.name} has type ${mine.type}; the kubelet only reads ${usableTypes(registry.type).join(" or ")} pull secrets.`,
        fix: "Sync the cluster: Regcred re-creates the secret with the right type.",
      },
    };
  const label = mine.labels[EXPIRES_LABEL];
  const expires = label ? parseExpiryLabel(label) : null;
  if (expires && expires.getTime() <= now.getTime()) {
    const why = failure ? `: the refresh failed because ${failure}` : "";
    return {
      ok: false,
      reason: {
        code: "secret_expired",
        severity: "fail",
        text: `${mine.name} expired ${formatRelative(expires.getTime(), now.getTime())}${why}.`,
        fix: failure
          ? "Fix the registry's credentials (Registries → Test credentials); the next sync refreshes the secret."
          : "Sync the cluster: Regcred refreshes the credential.",
      },
    };
  }
  const until = expires
    ? `, valid until it expires ${formatRelative(expires.getTime(), now.getTime(), "deadline")}`
    : "";
  return {
    ok: true,
    name: mine.name,
    reason: { code: "secret_present", severity: "ok", text: `${mine.name} is in the namespace${until}.` },
  };
}

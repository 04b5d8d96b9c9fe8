import "server-only";
import type { Db } from "@/db/client";
import { recordAudit } from "@/lib/audit/repo";
import { systemActor } from "@/lib/auth/actor";
import type { KubeSecret } from "@/lib/integrations/kube";
import { homeNamespaceOf } from "@/lib/clusters/client";
import type { ClusterRow } from "@/lib/clusters/repo";
import { describeError, log } from "@/lib/log";
import { isManagedSecret } from "@/lib/sync/labels";
import { chooseSecretName, type NameClaim, type Owner } from "@/lib/sync/ownership";
import { claimOf } from "@/lib/sync/plan";
import { LEGACY_LEASE_NAME } from "./lease";

/** This installation and org, the previous release's secrets recorded as held here, and the org's registry ids. */
export type Ownership = { owner: Owner; adoptable: ReadonlySet<string>; known: ReadonlySet<string> };

/** Per namespace, which name each registry's secret takes: `regcred-<id>` unless another Regcred owner holds it there. */
export function secretNamer(
  o: Ownership,
  actual: ReadonlyMap<string, KubeSecret>,
): (namespace: string, registryId: string) => string {
  const claim =
    (ns: string) =>
    (name: string): NameClaim => {
      const a = actual.get(`${ns}/${name}`);
      if (!a) return "free";
      if (claimOf(a, o.owner, o.adoptable, o.known) !== "other") return "mine";
      return isManagedSecret(a) ? "other" : "foreign";
    };
  return (ns, registryId) => chooseSecretName(registryId, o.owner, claim(ns));
}

/** One `cluster.adopt` audit entry (actor "system") per object of the previous release this installation took over. */
export async function auditAdoption(
  db: Db,
  cluster: { id: string; orgId: string },
  installation: string,
  target: string,
  extra: Record<string, string> = {},
): Promise<void> {
  await recordAudit(db, systemActor(cluster.orgId), "cluster.adopt", target, {
    cluster: cluster.id,
    installation,
    ...extra,
  });
}

export async function auditAdoptions(
  db: Db,
  cluster: { id: string; orgId: string },
  installation: string,
  applied: ReadonlyMap<string, { adopted: string[] }>,
): Promise<void> {
  for (const [ns, a] of applied)
    for (const target of a.adopted) await auditAdoption(db, cluster, installation, `${ns}/${target}`);
}

/** The previous release's Lease, taken over by this instance (see LeaseElector); never throws. */
export async function auditLeaseAdoption(
  db: Db,
  cluster: ClusterRow,
  installation: string,
  instance: string,
): Promise<void> {
  const target = `lease/${homeNamespaceOf(cluster)}/${LEGACY_LEASE_NAME}`;
  await auditAdoption(db, cluster, installation, target, { instance }).catch((err) =>
    log.warn("could not record the Lease adoption", { cluster: cluster.id, ...describeError(err) }),
  );
}

import "server-only";
import type { ClusterRow } from "@/lib/clusters/repo";
import { decideNamespace, type NamespaceScope } from "@/lib/clusters/scope";
import type { Keyring } from "@/lib/crypto/secret-box";
import type { KubeClient, KubeNamespace } from "@/lib/integrations/kube";
import { log } from "@/lib/log";
import type { RegistryRow } from "@/lib/registries/repo";
import { computeDesiredState } from "@/lib/sync/desired";
import { NAMESPACE_NAME_LABEL, secretNameFor } from "@/lib/sync/labels";
import { isLegacySecret, isOwnedBy, type Owner } from "@/lib/sync/ownership";
import type { WorkloadImages } from "@/lib/sync/workload-images";
import { resolveCredentials } from "@/lib/controller/credentials";

export type EnsureDeps = {
  keyring: Keyring;
  client: KubeClient;
  now: () => Date;
  timeoutMs: number;
  ecrEndpoint?: string;
};
export type EnsureInput = {
  cluster: ClusterRow;
  scope: NamespaceScope;
  environmentLabel: string | null;
  namespace: string;
  pod: WorkloadImages;
  /** Every registry of the org (matching must see them all). */
  rows: RegistryRow[];
  /** The non-public registries the pod's images resolve to. */
  needed: RegistryRow[];
  dryRun: boolean;
  /** Secrets this review may create: all (an authenticated API server) or those the controller already found in use here. */
  writable: "all" | ReadonlySet<string>;
  /** This installation and the cluster's org: written on the secrets created; another owner's secret is not referenced. */
  owner: Owner;
};
export type EnsureOutcome = {
  /** Secret names to reference from the pod. */
  reference: string[];
  /** Shown to whoever created the pod; never credentials. */
  warnings: string[];
  outcome: "ensured" | "dry-run" | "out-of-scope" | "no-namespace" | "partial" | "left-to-controller";
};

type Existing = { present: string[]; missing: RegistryRow[]; foreign: string[]; unknown: string[] };

async function readNamespace(client: KubeClient, name: string): Promise<KubeNamespace | null> {
  const listed = await client.listNamespaces(`${NAMESPACE_NAME_LABEL}=${name}`);
  return listed.ok ? (listed.value.find((ns) => ns.name === name) ?? null) : null;
}

async function classify(
  client: KubeClient,
  namespace: string,
  needed: readonly RegistryRow[],
  owner: Owner,
): Promise<Existing> {
  const out: Existing = { present: [], missing: [], foreign: [], unknown: [] };
  const reads = await Promise.all(
    needed.map(async (row) => ({ row, read: await client.getSecret(namespace, secretNameFor(row.id)) })),
  );
  for (const { row, read } of reads) {
    const name = secretNameFor(row.id);
    // The previous release's secret stays referenced; the controller's next pass adopts it or reports it.
    if (read.ok) (isOwnedBy(read.value, owner) || isLegacySecret(read.value) ? out.present : out.foreign).push(name);
    else if (read.error.kind === "not-found") out.missing.push(row);
    else out.unknown.push(name);
  }
  return out;
}

async function createMissing(
  deps: EnsureDeps,
  input: EnsureInput,
  ns: KubeNamespace,
  missing: RegistryRow[],
): Promise<{ created: string[]; warnings: string[] }> {
  const resolved = await resolveCredentials(missing, {
    keyring: deps.keyring,
    readSecret: (namespace, name) => deps.client.getSecret(namespace, name),
    clusterName: input.cluster.name,
    secretRefNamespaces: input.cluster.secretRefNamespaces,
    now: deps.now,
    timeoutMs: deps.timeoutMs,
    ecrEndpoint: deps.ecrEndpoint,
  });
  const desired = computeDesiredState({
    clusterName: input.cluster.name,
    namespaces: [{ name: ns.name, labels: ns.labels }],
    workloads: [{ ...input.pod, namespace: ns.name }],
    registries: input.rows.map((r) => ({ id: r.id, registry: r.registry, type: r.type, secrets: r.secrets })),
    credentials: resolved.credentials,
    environmentLabel: input.environmentLabel ?? undefined,
    owner: input.owner,
  });
  const wanted = new Set(missing.map((r) => secretNameFor(r.id)));
  // Pod creators see only that it failed; the reason (which may name AWS principals) goes to Regcred's log.
  const held = desired.held.filter((h) => wanted.has(h.name));
  for (const h of held)
    log.warn("webhook: pull secret not created: credentials unavailable", {
      cluster: input.cluster.id,
      namespace: ns.name,
      secret: h.name,
      reason: h.reason,
    });
  const warnings = held.map(
    (h) =>
      `regcred: ${h.name} could not be created (registry credentials unavailable); the pod references it and will use it once Regcred's sync creates it`,
  );
  const created: string[] = [];
  await Promise.all(
    desired.secrets
      .filter((s) => wanted.has(s.name))
      .map(async (s) => {
        const r = await deps.client.createSecret({
          namespace: s.namespace,
          name: s.name,
          type: s.type,
          labels: s.labels,
          annotations: s.annotations,
          data: s.data,
        });
        // 409: the controller (or a concurrent admission) created it first.
        if (r.ok || r.error.kind === "conflict") created.push(s.name);
        else {
          warnings.push(
            `regcred: ${s.name} could not be created (${r.error.kind}); the pod references it and will use it once Regcred's sync creates it`,
          );
          log.warn("webhook: pull secret not created", {
            cluster: input.cluster.id,
            namespace: s.namespace,
            secret: s.name,
            error: r.error.kind,
            status: r.error.status,
          });
        }
      }),
  );
  return { created, warnings };
}

/**
 * Makes sure the pod's `regcred-<id>` secrets exist in its namespace (dry-run: only reads). Secrets of that name
 * that Regcred does not manage are neither overwritten nor referenced. Secrets that could not be created are
 * still referenced: the controller's next pass creates them and the kubelet retries the pull with them.
 */
export async function ensurePullSecrets(deps: EnsureDeps, input: EnsureInput): Promise<EnsureOutcome> {
  const all = input.needed.map((r) => secretNameFor(r.id));
  const [ns, existing] = await Promise.all([
    readNamespace(deps.client, input.namespace),
    classify(deps.client, input.namespace, input.needed, input.owner),
  ]);
  if (ns && !decideNamespace(input.scope, ns).inScope) return { reference: [], warnings: [], outcome: "out-of-scope" };
  const reference = all.filter((n) => !existing.foreign.includes(n));
  const warnings = existing.foreign.map(
    (n) =>
      `regcred: secret ${n} in ${input.namespace} is not managed by this Regcred installation and org; it was not added to imagePullSecrets`,
  );
  if (input.dryRun) return { reference, warnings, outcome: "dry-run" };
  // A namespace that cannot be read (or does not exist) gets nothing written: the controller writes once it sees it.
  if (!ns) return { reference, warnings, outcome: "no-namespace" };
  const writable = input.writable;
  const allowed =
    writable === "all" ? existing.missing : existing.missing.filter((r) => writable.has(secretNameFor(r.id)));
  const made = allowed.length > 0 ? await createMissing(deps, input, ns, allowed) : { created: [], warnings: [] };
  const deferred = existing.missing.length - allowed.length;
  const complete = made.created.length === allowed.length && existing.unknown.length === 0;
  const outcome = !complete ? "partial" : deferred > 0 ? "left-to-controller" : "ensured";
  return { reference, warnings: [...warnings, ...made.warnings], outcome };
}

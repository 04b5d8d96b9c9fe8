import "server-only";
import { kubeconfigAad } from "../crypto/aad";
import { type Keyring, open, seal } from "../crypto/secret-box";
import { env } from "../env";
import { connect, failingClient, type KubeClient, type KubeConnectConfig } from "../integrations/kube";
import { describeError, log } from "../log";
import { kubeRequestCounter } from "../metrics";
import { DEFAULT_NAMESPACE } from "../sync/labels";
import type { MinimalKubeconfig } from "./kubeconfig";
import type { ClusterRow } from "./repo";

/** The sealed form of a cluster's kubeconfig, bound to the org and cluster id (opened by connectionOf). */
export function sealKubeconfig(
  keyring: Keyring,
  cluster: { orgId: string; id: string },
  kubeconfig: MinimalKubeconfig,
): string {
  return seal(keyring, JSON.stringify(kubeconfig), kubeconfigAad(cluster.orgId, cluster.id));
}

/** The connection details of a stored cluster, unsealed; server-side only, never logged. */
export function connectionOf(keyring: Keyring, row: ClusterRow): KubeConnectConfig {
  if (row.source === "in-cluster") return { kind: "in-cluster", server: row.server };
  return {
    kind: "kubeconfig",
    kubeconfig: open(keyring, row.kubeconfigSealed ?? "", kubeconfigAad(row.orgId, row.id)),
  };
}

/** A client for a stored cluster; unusable stored details give a client whose calls fail with `invalid`. */
export function clientForCluster(keyring: Keyring, row: ClusterRow, opts: { timeoutMs?: number } = {}): KubeClient {
  const timeoutMs = opts.timeoutMs ?? env().REGCRED_CHECK_TIMEOUT_MS;
  try {
    return connect(connectionOf(keyring, row), { timeoutMs, onRequest: kubeRequestCounter(row.id) });
  } catch (err) {
    log.warn("a cluster's stored credentials could not be opened", { cluster: row.id, ...describeError(err) });
    return failingClient(row.server, "the stored credentials could not be decrypted (was the encryption key changed?)");
  }
}

/** Where Regcred's own objects (its lease) live in this cluster. */
export function homeNamespaceOf(row: ClusterRow): string {
  return row.defaultNamespace ?? DEFAULT_NAMESPACE;
}

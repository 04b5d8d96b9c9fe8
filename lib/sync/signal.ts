import type { KubeNamespace, KubeSecret, KubeServiceAccount } from "@/lib/integrations/kube";
import type { Workload } from "@/lib/integrations/kube/workloads";
import type { SyncTrigger } from "./repo";

/** What the in-process controller's watch-fed cache holds for one cluster (read by the secrets and readiness views). */
export type CachedContents = {
  namespaces: KubeNamespace[];
  secrets: KubeSecret[];
  serviceAccounts: KubeServiceAccount[];
  workloads: Workload[];
};

/** How this process's controller hears about queued work; its runtime registers them at start. */
export type ControllerSignals = {
  /** A pass is queued for the cluster: its manager starts it at once (a cluster it has not seen yet is looked up first). */
  cluster: (clusterId: string, trigger: SyncTrigger) => Promise<void>;
  /** Every cluster of the org needs a pass. */
  org: (orgId: string, trigger: SyncTrigger) => void;
  /** The cluster as the controller's cache holds it; null when it has none or it is not complete. */
  contents: (clusterId: string) => CachedContents | null;
};

// On globalThis so every bundle layer of the Next.js server reaches the one in-process controller.
const key = Symbol.for("regcred.controller-signals");
type Holder = { [key]?: ControllerSignals };

/** Registers (or, with null, removes) the in-process controller's handlers. */
export function setControllerSignals(signals: ControllerSignals | null): void {
  (globalThis as Holder)[key] = signals ?? undefined;
}

/** Tells this process's controller, if one runs here, that a pass of the cluster is queued; otherwise a no-op. */
export async function signalController(clusterId: string, trigger: SyncTrigger): Promise<void> {
  await (globalThis as Holder)[key]?.cluster(clusterId, trigger);
}

/** Tells this process's controller, if one runs here, that every cluster of the org needs a pass. */
export function signalControllerForOrg(orgId: string, trigger: SyncTrigger): void {
  (globalThis as Holder)[key]?.org(orgId, trigger);
}

/** The cluster as this process's controller caches it (0 API requests), or null: the caller reads the cluster. */
export function cachedClusterContents(clusterId: string): CachedContents | null {
  return (globalThis as Holder)[key]?.contents(clusterId) ?? null;
}

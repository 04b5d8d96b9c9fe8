import type { Db } from "@/db/client";
import type { ClusterRow } from "@/lib/clusters/repo";
import type { Keyring } from "@/lib/crypto/secret-box";
import type { KubeClient } from "@/lib/integrations/kube";
import type { Rng } from "@/lib/sync/schedule";
import type { ReconcileResult } from "./reconcile";
import type { CredentialFailure } from "./refresh";

/** The controller's notion of now; tests inject one that jumps ahead to exercise refreshes. */
export type Clock = { now: () => Date };
export const systemClock: Clock = { now: () => new Date() };

/** What a pass ran with, for hooks that mint or time like it (the same ECR endpoint and clock). */
export type PassContext = { now: () => Date; ecrEndpoint?: string };

export type ManagerOptions = {
  db: Db;
  keyring: Keyring;
  cluster: ClusterRow;
  client: KubeClient;
  instanceId: string;
  /** This installation's identity (ensureInstallation): in the Lease name and on every object written. */
  installation: string;
  resyncMs: number;
  gracePeriodMs: number;
  leaseDurationMs: number;
  timeoutMs: number;
  ecrEndpoint?: string;
  clock?: Clock;
  rng?: Rng;
  /** How often due resyncs, refreshes and retries are checked (real time). */
  tickMs?: number;
  /** How long watch events are gathered before a pass over the namespaces they touched starts (default 5 ms). */
  debounceMs?: number;
  /** false: act as the only instance (no Lease). */
  leases?: boolean;
  concurrency?: number;
  /** Called after every pass with the cluster as re-read (e.g. the webhook registration check); must not throw. */
  onPass?: (cluster: ClusterRow, pass: PassContext) => Promise<void>;
  /** Called after a pass over the namespaces watch events touched; must not throw or block. */
  onNamespacePass?: (cluster: ClusterRow, pass: PassContext) => void;
};

export type ManagerStatus = {
  clusterId: string;
  leading: boolean;
  holder: string | null;
  running: boolean;
  passes: number;
  nextResyncAt: Date | null;
  nextRefreshAt: Date | null;
  retryAt: Date | null;
  failures: CredentialFailure[];
  last: ReconcileResult | null;
};

import type {
  CredentialIssue,
  StuckPodEntry,
  SyncChange,
  SyncConflictEntry,
  SyncRunSummary,
  syncRunStatuses,
} from "@/db/schema/sync";
import type { WiringMode } from "@/lib/sync/wiring-modes";

export type { CredentialIssue, StuckPodEntry, SyncChange, SyncConflictEntry, SyncRunSummary };

export type SyncRunStatus = (typeof syncRunStatuses)[number];
export type SyncState = "idle" | "queued" | "running";

/** One pass over a cluster. */
export type SyncRunDto = {
  id: string;
  trigger: string;
  status: SyncRunStatus;
  requested_by: string | null;
  namespaces_total: number;
  namespaces_done: number;
  summary: SyncRunSummary | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
};

/** The latest result in one namespace; `changes` are those of the last pass that wrote something there. */
export type SyncNamespaceDto = {
  namespace: string;
  outcome: "ok" | "changed" | "conflict" | "error";
  synced_at: string;
  secrets: string[];
  changes: SyncChange[];
  changed_at: string | null;
  errors: string[];
  conflicts: SyncConflictEntry[];
  warnings: string[];
  /** Pods waiting to pull an image whose regcred secret now exists in the namespace. */
  stuck_pods: StuckPodEntry[];
};

/** GET /api/orgs/{orgId}/clusters/{clusterId}/sync. */
export type SyncStatusDto = {
  cluster: { id: string; name: string };
  state: SyncState;
  /** The queued or running pass. */
  current: SyncRunDto | null;
  /** The latest finished pass. */
  last: SyncRunDto | null;
  progress: { done: number; total: number } | null;
  last_sync_at: string | null;
  last_status: SyncRunStatus | null;
  last_error: string | null;
  lease_holder: string | null;
  wiring: WiringMode;
  credential_issues: CredentialIssue[];
  namespaces: SyncNamespaceDto[];
  conflicts: Array<SyncConflictEntry & { namespace: string }>;
  /** The run asked for with ?run=, when given. */
  run?: SyncRunDto | null;
};

/** One row of the Sync page. */
export type SyncClusterOverview = Omit<SyncStatusDto, "namespaces" | "conflicts" | "run"> & {
  server: string;
  counts: Record<SyncNamespaceDto["outcome"], number>;
};

/** POST …/sync: 202 with the queued pass. */
export type SyncRequested = { id: string; status: "queued"; cluster_id: string };

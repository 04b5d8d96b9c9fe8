import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { WebhookAuthModes } from "../../lib/clusters/webhook-auth";
import { WiringModes } from "../../lib/sync/wiring-modes";
import { clusters } from "./clusters";
import { orgs } from "./orgs";

export const syncTriggers = [
  "manual",
  "watch",
  "resync",
  "refresh",
  "registry",
  "startup",
  "retry",
  "settings",
] as const;
export const syncRunStatuses = ["queued", "running", "succeeded", "partial", "failed"] as const;
export const namespaceOutcomes = ["ok", "changed", "conflict", "error"] as const;

/** One write (or planned write that failed) in a namespace. */
export type SyncChange = {
  op: "create" | "update" | "recreate" | "delete" | "mark-unused" | "patch-sa" | "patch-workload" | "restart-pod";
  target: string;
  reason: string;
  ok: boolean;
  error?: string;
};
export type SyncConflictEntry = { name: string; reason: string };
/** A Pod waiting to pull an image whose regcred secret now exists in its namespace. */
export type StuckPodEntry = {
  pod: string;
  container: string;
  image: string;
  reason: string;
  controlled: boolean;
  /** reported: left alone; restarted: deleted so its controller re-creates it; restart-failed: the delete failed. */
  action: "reported" | "restarted" | "restart-failed";
  error?: string;
};
export type SyncRunSummary = {
  created: number;
  updated: number;
  deleted: number;
  markedUnused: number;
  serviceAccounts: number;
  workloads: number;
  conflicts: number;
  errors: number;
  warnings: number;
  /** ECR GetAuthorizationToken calls made for this pass (tokens served from the cache are not counted). */
  mints: number;
  requests?: number;
};
/** A registry whose credential could not be produced; existing secrets are kept until they expire. */
export type CredentialIssue = {
  registryId: string;
  reason: string;
  attempt: number;
  retryAt: string;
  keepUntil: string | null;
};

/** Per-cluster controller settings and the latest outcome. */
export const clusterSync = pgTable("cluster_sync", {
  clusterId: uuid("cluster_id")
    .primaryKey()
    .references(() => clusters.id, { onDelete: "cascade" }),
  orgId: text("org_id")
    .notNull()
    .references(() => orgs.id, { onDelete: "cascade" }),
  wiring: text("wiring", { enum: WiringModes }).notNull().default("serviceaccount"),
  environmentLabel: text("environment_label"),
  restartStuckPods: boolean("restart_stuck_pods").notNull().default(false),
  webhookAuth: text("webhook_auth", { enum: WebhookAuthModes }).notNull().default("none"),
  /** mtls: PEM of the CA that signs the API server's client certificate. */
  webhookClientCa: text("webhook_client_ca"),
  /** token: the bearer token the API server presents, sealed like every credential. */
  webhookTokenSealed: text("webhook_token_sealed"),
  /** Image globs (kubelet matchImages syntax) whose pulls the nodes authenticate themselves (a kubelet credential provider). */
  nodeCredentialImages: text("node_credential_images").array().notNull().default([]),
  lastRunId: uuid("last_run_id"),
  lastSyncAt: timestamp("last_sync_at", { withTimezone: true, precision: 3 }),
  lastStatus: text("last_status", { enum: syncRunStatuses }),
  lastError: text("last_error"),
  leaseHolder: text("lease_holder"),
  credentialIssues: jsonb("credential_issues").$type<CredentialIssue[]>().notNull().default([]),
  updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export const syncRuns = pgTable(
  "sync_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    clusterId: uuid("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "cascade" }),
    trigger: text("trigger", { enum: syncTriggers }).notNull(),
    status: text("status", { enum: syncRunStatuses }).notNull(),
    requestedBy: text("requested_by"),
    instanceId: text("instance_id"),
    namespacesTotal: integer("namespaces_total").notNull().default(0),
    namespacesDone: integer("namespaces_done").notNull().default(0),
    summary: jsonb("summary").$type<SyncRunSummary>(),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [index("sync_runs_cluster_time_idx").on(t.clusterId, t.createdAt), index("sync_runs_status_idx").on(t.status)],
);

/** The latest result per namespace; `changes` and `changedAt` keep the last pass that wrote something. */
export const syncNamespaces = pgTable(
  "sync_namespaces",
  {
    clusterId: uuid("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "cascade" }),
    namespace: text("namespace").notNull(),
    orgId: text("org_id").notNull(),
    runId: uuid("run_id"),
    syncedAt: timestamp("synced_at", { withTimezone: true, precision: 3 }).notNull(),
    outcome: text("outcome", { enum: namespaceOutcomes }).notNull(),
    secrets: jsonb("secrets").$type<string[]>().notNull().default([]),
    changes: jsonb("changes").$type<SyncChange[]>().notNull().default([]),
    changedAt: timestamp("changed_at", { withTimezone: true, precision: 3 }),
    errors: jsonb("errors").$type<string[]>().notNull().default([]),
    conflicts: jsonb("conflicts").$type<SyncConflictEntry[]>().notNull().default([]),
    warnings: jsonb("warnings").$type<string[]>().notNull().default([]),
    stuckPods: jsonb("stuck_pods").$type<StuckPodEntry[]>().notNull().default([]),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.namespace] })],
);

/** Deleted registries: their secrets and references are removed from every cluster, at once rather than after the grace period. */
export const registryTombstones = pgTable(
  "registry_tombstones",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    registryId: text("registry_id").notNull(),
    deletedAt: timestamp("deleted_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.registryId] })],
);

import { z } from "zod";
import { namespaceOutcomes, syncRunStatuses, syncTriggers } from "@/db/schema/sync";
import { WiringModes } from "@/lib/sync/wiring-modes";
import type { SyncRequested as SyncRequestedDto, SyncStatusDto } from "../sync/schema";
import { clusterId } from "./clusters";
import { type ApiPart, errors, jsonSchema, ok, operation, queryParam, ref } from "./common";

// lib/sync/schema.ts describes these DTOs as TypeScript types; these zod mirrors document them,
// and the type assertions below fail to compile when the two drift apart.
const SyncChange = z.object({
  op: z.enum(["create", "update", "recreate", "delete", "mark-unused", "patch-sa", "patch-workload", "restart-pod"]),
  target: z.string(),
  reason: z.string(),
  ok: z.boolean(),
  error: z.string().optional(),
});
const SyncConflictEntry = z.object({ name: z.string(), reason: z.string() });
const StuckPod = z.object({
  pod: z.string(),
  container: z.string(),
  image: z.string(),
  reason: z.string().describe("ImagePullBackOff or ErrImagePull"),
  controlled: z.boolean().describe("has a controller owner (only those are restarted)"),
  action: z.enum(["reported", "restarted", "restart-failed"]),
  error: z.string().optional(),
});
const counters = [
  "created",
  "updated",
  "deleted",
  "markedUnused",
  "serviceAccounts",
  "workloads",
  "conflicts",
  "errors",
  "warnings",
  "mints",
] as const;
const SyncRunSummary = z.object({
  ...Object.fromEntries(counters.map((k) => [k, z.number()])),
  requests: z.number().optional(),
} as Record<(typeof counters)[number], z.ZodNumber> & {
  requests: z.ZodOptional<z.ZodNumber>;
});
const SyncRun = z.object({
  id: z.uuid(),
  trigger: z.string().describe(syncTriggers.join(", ")),
  status: z.enum(syncRunStatuses),
  requested_by: z.string().nullable(),
  namespaces_total: z.number(),
  namespaces_done: z.number(),
  summary: SyncRunSummary.nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
const SyncNamespace = z.object({
  namespace: z.string(),
  outcome: z.enum(namespaceOutcomes),
  synced_at: z.string(),
  secrets: z.array(z.string()),
  changes: z.array(SyncChange).describe("those of the last pass that wrote something here"),
  changed_at: z.string().nullable(),
  errors: z.array(z.string()),
  conflicts: z.array(SyncConflictEntry),
  warnings: z.array(z.string()),
  stuck_pods: z.array(StuckPod).describe("Pods waiting to pull an image whose regcred secret now exists here"),
});
const CredentialIssue = z.object({
  registryId: z.string(),
  reason: z.string(),
  attempt: z.number(),
  retryAt: z.string(),
  keepUntil: z.string().nullable(),
});

export const SyncStatus = z.object({
  cluster: z.object({ id: z.string(), name: z.string() }),
  state: z.enum(["idle", "queued", "running"]),
  current: SyncRun.nullable().describe("the queued or running pass"),
  last: SyncRun.nullable().describe("the latest finished pass"),
  progress: z.object({ done: z.number(), total: z.number() }).nullable(),
  last_sync_at: z.string().nullable(),
  last_status: z.enum(syncRunStatuses).nullable(),
  last_error: z.string().nullable(),
  lease_holder: z.string().nullable(),
  wiring: z.enum(WiringModes),
  credential_issues: z
    .array(CredentialIssue)
    .describe("registries whose credential could not be produced; their secrets are kept until they expire"),
  namespaces: z.array(SyncNamespace),
  conflicts: z.array(SyncConflictEntry.extend({ namespace: z.string() })),
  run: SyncRun.nullable().optional().describe("the pass asked for with ?run=, when given (null if unknown)"),
});
export const SyncRequested = z.object({ id: z.uuid(), status: z.literal("queued"), cluster_id: z.string() });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _statusMatches: Same<z.infer<typeof SyncStatus>, SyncStatusDto> = true;
const _requestedMatches: Same<z.infer<typeof SyncRequested>, SyncRequestedDto> = true;

export function syncPart(): ApiPart {
  const tag = "Sync";
  return {
    paths: {
      "/api/orgs/{orgId}/clusters/{clusterId}/sync": {
        post: operation({
          tag,
          id: "requestSync",
          summary: "Sync now: queue a pass over the cluster (manager)",
          params: [clusterId],
          responses: {
            202: ok("Queued; follow it with GET …/sync?run=<id>.", ref("SyncRequested"), {
              headers: {
                Location: { description: "GET …/sync?run=<id> of the queued pass.", schema: { type: "string" } },
              },
            }),
            ...errors([401, 403, 404]),
          },
        }),
        get: operation({
          tag,
          id: "getSyncStatus",
          summary: "The cluster's sync status: running pass and progress, last result per namespace, conflicts",
          params: [
            clusterId,
            queryParam("run", "Also return this pass (the id POST …/sync answered).", {
              type: "string",
              format: "uuid",
            }),
          ],
          responses: { 200: ok("The status.", ref("SyncStatus")), ...errors([401, 404]) },
        }),
      },
    },
    schemas: { SyncRequested: jsonSchema(SyncRequested, "output"), SyncStatus: jsonSchema(SyncStatus, "output") },
  };
}

import { z } from "zod";

/**
 * What a regcred secret's state means, most urgent reason first:
 * - `not_managed`: a `regcred-*` dockerconfigjson secret without Regcred's managed-by and registry labels;
 * - `orphaned`: Regcred wrote it, but its registry no longer exists in the org;
 * - `expired`: its `regcred.dev/expires` instant has passed;
 * - `expiring_soon`: less than 1 h left, or less than 25% of its lifetime left (see lib/secrets/status.ts);
 * - `valid`: anything else, including credentials that never expire.
 */
export const SecretStatuses = ["valid", "expiring_soon", "expired", "orphaned", "not_managed"] as const;
export type SecretStatus = (typeof SecretStatuses)[number];

export const statusLabels: Record<SecretStatus, string> = {
  valid: "Valid",
  expiring_soon: "Expiring soon",
  expired: "Expired",
  orphaned: "Orphaned",
  not_managed: "Not managed",
};

export const statusHelp: Record<SecretStatus, string> = {
  valid: "Regcred manages it, its registry exists, and its credential is not close to expiry (or never expires).",
  expiring_soon:
    "Less than 1 h left, or less than 25% of the credential's lifetime left (the sync refreshes at 75%, so such a secret is overdue). The lifetime runs from the secret's creation, or for ECR tokens over their 12 h.",
  expired: "The credential's regcred.dev/expires time has passed: the kubelet's pulls with it fail.",
  orphaned: "Regcred wrote it, but its registry no longer exists in this org.",
  not_managed:
    "A kubernetes.io/dockerconfigjson secret named regcred-* without Regcred's labels: Regcred never changes or removes it.",
};

/** `name`: cluster, namespace, name; `expires`: soonest first (no expiry last); `-expires`: latest first; `age`: newest first. */
export const SecretSorts = ["name", "expires", "-expires", "age"] as const;
export type SecretSort = (typeof SecretSorts)[number];

const text = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, `${label} must be at most ${max} characters`);
const isStatus = (v: string): v is SecretStatus => (SecretStatuses as readonly string[]).includes(v);
const statusList = z.string({ error: "Status must be text" }).transform((v, ctx): SecretStatus[] => {
  const parts = v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = parts.filter((s) => !isStatus(s));
  if (unknown.length === 0) return parts.filter(isStatus);
  ctx.addIssue({
    code: "custom",
    message: `Status must be one or more of ${SecretStatuses.join(", ")} (comma-separated), not ${unknown.join(", ")}`,
  });
  return z.NEVER;
});

/** GET /secrets query parameters; empty values mean "no filter". */
export const SecretsQuery = z.strictObject({
  cluster: text("Cluster", 253).optional(),
  namespace: text("Namespace", 63).optional(),
  registry: text("Registry", 63).optional(),
  status: statusList.optional(),
  q: text("Search (q)", 200).optional(),
  sort: z.enum(SecretSorts, { error: `Sort must be one of ${SecretSorts.join(", ")}` }).optional(),
});
export type SecretsQuery = z.infer<typeof SecretsQuery>;

export const WorkloadRef = z.object({ kind: z.string(), name: z.string() });
export type WorkloadRef = z.infer<typeof WorkloadRef>;

/** One regcred secret in one namespace; holds no credential, only the hosts its `auths` names. */
export const SecretRow = z.object({
  cluster_id: z.string(),
  cluster: z.string(),
  namespace: z.string(),
  name: z.string(),
  type: z.string(),
  managed: z.boolean(),
  registry: z.object({
    id: z
      .string()
      .nullable()
      .describe("from the regcred.dev/registry label, or from the name regcred-<id> when not managed"),
    exists: z.boolean().describe("whether a registry with this id exists in the org"),
    hosts: z.array(z.string()).describe("the keys of .dockerconfigjson auths; never the credentials"),
  }),
  expires_at: z.string().nullable(),
  status: z.enum(SecretStatuses),
  status_reason: z.string(),
  created_at: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  references: z.object({ service_accounts: z.array(z.string()), workloads: z.array(WorkloadRef) }),
  notes: z.array(z.string()),
});
export type SecretRow = z.infer<typeof SecretRow>;

export const ClusterOutcome = z.object({
  id: z.string(),
  name: z.string(),
  ok: z.boolean(),
  error: z
    .string()
    .optional()
    .describe("why this cluster's secrets could not be listed; the other clusters still show"),
  warnings: z
    .array(z.string())
    .describe("partial failures, e.g. references missing because workloads could not be listed"),
  secrets: z.number().describe("regcred secrets found in this cluster, before filters"),
  ms: z.number().describe("how long this cluster's LISTs took"),
});
export type ClusterOutcome = z.infer<typeof ClusterOutcome>;

export const StatusCounts = z.object({
  total: z.number(),
  ...Object.fromEntries(SecretStatuses.map((s) => [s, z.number()])),
} as Record<"total" | SecretStatus, z.ZodNumber>);
export type StatusCounts = Record<"total" | SecretStatus, number>;

/** GET /secrets: counts cover every filter except `status`, so they double as the status filter's numbers. */
export const SecretsView = z.object({
  clusters: z.array(ClusterOutcome),
  counts: StatusCounts,
  secrets: z.array(SecretRow),
  generated_at: z.string(),
});
export type SecretsView = z.infer<typeof SecretsView>;

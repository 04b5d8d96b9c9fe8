import { z } from "zod";

/**
 * Whether a workload's pods will be able to pull an image, as far as Regcred can tell before the kubelet tries:
 * - `ready`: the secret is present, unexpired and carried by the pod, and the credentials pull that repository;
 * - `will_fail`: one of those is known to be wrong (each failing reason says which and how to fix it);
 * - `unknown`: something could not be established (registry unreachable, not checked yet, nodes pull themselves).
 */
export const Verdicts = ["ready", "will_fail", "unknown"] as const;
export type Verdict = (typeof Verdicts)[number];

export const verdictLabels: Record<Verdict, string> = {
  ready: "Ready",
  will_fail: "Will fail",
  unknown: "Unknown",
};

/** How a reason weighs on the verdict: `fail` makes it will_fail, `unknown` unknown (unless something fails), `ok` and `info` neither. */
export const Severities = ["ok", "fail", "unknown", "info"] as const;
export type Severity = (typeof Severities)[number];

/** Short, stable codes of the reasons (the API's `code`); the text says the same in plain words. */
export const ReasonCodes = [
  // which registry the image matches
  "registry_matched",
  "public_registry",
  "no_registry",
  "node_credentials",
  "image_invalid",
  // the regcred-<id> secret in the namespace
  "secret_present",
  "secret_missing",
  "secret_wrong_type",
  "secret_expired",
  "secret_not_managed",
  // how the pod carries it
  "wired_serviceaccount",
  "wired_template",
  "wired_webhook",
  "wired_pod",
  "serviceaccount_missing",
  "serviceaccount_not_wired",
  "template_own_secrets",
  "template_not_wired",
  "pod_not_wired",
  // the credentials, for that exact repository
  "pull_ok",
  "wrong_credentials",
  "no_access",
  "denied",
  "image_not_found",
  "registry_unreachable",
  "check_failed",
  "not_checked",
  "credentials_unavailable",
  // what the kubelet already reported
  "pull_backoff",
] as const;
export type ReasonCode = (typeof ReasonCodes)[number];

export const Reason = z.object({
  code: z.enum(ReasonCodes),
  severity: z.enum(Severities),
  /** One sentence for a human: what was found. Never a credential. */
  text: z.string(),
  /** What to do about it, when there is something to do. */
  fix: z.string().optional(),
});
export type Reason = z.infer<typeof Reason>;

export const ImageReadiness = z.object({
  image: z.string(),
  /** The id of the registry the image resolves to (most specific match, as the kubelet decides); null when none. */
  registry: z.string().nullable(),
  verdict: z.enum(Verdicts),
  reasons: z.array(Reason),
});
export type ImageReadiness = z.infer<typeof ImageReadiness>;

/** A Pod of the workload whose container waits in ImagePullBackOff or ErrImagePull, and whether the verdict explains it. */
export const StuckPodReadiness = z.object({
  pod: z.string(),
  container: z.string(),
  image: z.string(),
  reason: z.string(),
  /** true: the image's verdict is will_fail (Regcred's reasons explain the failure); false: they do not. */
  explained: z.boolean(),
});
export type StuckPodReadiness = z.infer<typeof StuckPodReadiness>;

export const WorkloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"] as const;

export const WorkloadReadiness = z.object({
  cluster: z.string(),
  cluster_id: z.string(),
  namespace: z.string(),
  kind: z.enum(WorkloadKinds),
  name: z.string(),
  verdict: z.enum(Verdicts),
  images: z.array(ImageReadiness),
  stuck_pods: z.array(StuckPodReadiness),
});
export type WorkloadReadiness = z.infer<typeof WorkloadReadiness>;

/** A cluster that could not be read is reported here and never hides the others. */
export const ReadinessCluster = z.object({
  id: z.string(),
  name: z.string(),
  ok: z.boolean(),
  error: z.string().optional(),
  workloads: z.number(),
});
export type ReadinessCluster = z.infer<typeof ReadinessCluster>;

export const ReadinessView = z.object({
  workloads: z.array(WorkloadReadiness),
  /** Counts by verdict over the cluster and namespace filters (before the verdict filter). */
  counts: z.object({ ready: z.number(), will_fail: z.number(), unknown: z.number() }),
  clusters: z.array(ReadinessCluster),
  /** The oldest repository check the verdicts rely on (null: none yet). */
  checked_at: z.string().nullable(),
  generated_at: z.string(),
});
export type ReadinessView = z.infer<typeof ReadinessView>;

const text = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, `${label} must be at most ${max} characters`);

/** GET /readiness query parameters; empty values mean "no filter". */
export const ReadinessQuery = z.strictObject({
  cluster: text("Cluster", 253).optional(),
  namespace: text("Namespace", 63).optional(),
  verdict: z.enum(Verdicts, { error: `Verdict must be one of ${Verdicts.join(", ")}` }).optional(),
});
export type ReadinessQuery = z.infer<typeof ReadinessQuery>;

/**
 * What a re-check did: repositories checked now, and how many of each outcome (ok, wrong_credentials, no_access,
 * denied, not_found, unreachable, error) plus `deferred`: repositories the per-host rate limit left for the next run.
 */
export const RecheckResult = z.object({
  checked: z.number(),
  outcomes: z.record(z.string(), z.number()),
  checked_at: z.string(),
});
export type RecheckResult = z.infer<typeof RecheckResult>;

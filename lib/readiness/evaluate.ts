import type { RepositoryOutcome } from "@/db/schema/registries";
import { urlsMatch } from "@/lib/images/matching";
import { parseImageReference } from "@/lib/images/reference";
import { resolveRegistry } from "@/lib/images/matching";
import type { KubeSecret, KubeServiceAccount } from "@/lib/integrations/kube";
import type { Workload } from "@/lib/integrations/kube/workloads";
import type { RegistryType } from "@/lib/registries/types";
import type { Owner } from "@/lib/sync/ownership";
import { podPullStates } from "@/lib/sync/stuck-pods";
import type { WiringMode } from "@/lib/sync/wiring-modes";
import { extractWorkloadImages } from "@/lib/sync/workload-images";
import { formatRelative } from "@/lib/time";
import type { StoredRepositoryCheck } from "./check-repo";
import { indexOwners, workloadKey } from "./owners";
import type { ImageReadiness, Reason, StuckPodReadiness, Verdict, WorkloadReadiness } from "./schema";
import { groupByNamespace, secretFact } from "./secret-facts";
import { repositoryCheckKey, repositoryTarget, type RepositoryTarget } from "./targets";
import { wiringFact } from "./wiring-facts";

export type ReadinessRegistry = { id: string; registry: string; type: RegistryType };
/** What a cached repository check found, as the verdicts read it. */
export type CheckFinding = Pick<StoredRepositoryCheck, "outcome" | "step" | "detail" | "checkedAt">;

export type ClusterReadinessInput = {
  cluster: { id: string; name: string };
  wiring: WiringMode;
  /** kubelet credential-provider matchImages globs: those images are pulled with the nodes' own credentials. */
  nodeCredentialImages: readonly string[];
  owner: Owner;
  /** Workloads, ServiceAccounts and secrets of the namespaces in the cluster's scope. */
  workloads: readonly Workload[];
  serviceAccounts: readonly KubeServiceAccount[];
  secrets: readonly KubeSecret[];
  registries: readonly ReadinessRegistry[];
  checks: ReadonlyMap<string, CheckFinding>;
  /** registry id → why the controller could not produce its credential (the last pass's credential issues). */
  credentialFailures: ReadonlyMap<string, string>;
  now: Date;
};

const rank: Record<Verdict, number> = { ready: 0, unknown: 1, will_fail: 2 };
const worst = (verdicts: readonly Verdict[]): Verdict =>
  verdicts.reduce<Verdict>((a, b) => (rank[b] > rank[a] ? b : a), "ready");

function verdictOf(reasons: readonly Reason[]): Verdict {
  if (reasons.some((r) => r.severity === "fail")) return "will_fail";
  return reasons.some((r) => r.severity === "unknown") ? "unknown" : "ready";
}

const checkReasons: Record<RepositoryOutcome, (d: string) => Omit<Reason, "text"> & { text?: string }> = {
  ok: () => ({ code: "pull_ok", severity: "ok" }),
  wrong_credentials: () => ({
    code: "wrong_credentials",
    severity: "fail",
    fix: "Enter the right credentials for the registry (Registries → Edit), then test them.",
  }),
  no_access: () => ({
    code: "no_access",
    severity: "fail",
    fix: "Grant the registry's account pull access to this repository, or use an account that has it.",
  }),
  denied: () => ({
    code: "denied",
    severity: "fail",
    fix: "Check that the repository exists and that the registry's account may pull it.",
  }),
  not_found: () => ({
    code: "image_not_found",
    severity: "fail",
    fix: "Fix the image name or tag in the workload, or push the image.",
  }),
  unreachable: () => ({ code: "registry_unreachable", severity: "unknown" }),
  error: () => ({ code: "check_failed", severity: "unknown" }),
};

function credentialReason(target: RepositoryTarget, input: ClusterReadinessInput, where: string): Reason {
  const check = input.checks.get(repositoryCheckKey(target));
  if (!check) {
    const failure = input.credentialFailures.get(target.registryId);
    return failure
      ? { code: "credentials_unavailable", severity: "unknown", text: `No credential could be produced: ${failure}.` }
      : {
          code: "not_checked",
          severity: "unknown",
          text: `Pull access to ${where} has not been checked yet.`,
          fix: "Press Re-check, or wait for the next scheduled check.",
        };
  }
  const base = checkReasons[check.outcome](check.detail);
  const when = formatRelative(check.checkedAt.getTime(), input.now.getTime());
  return { ...base, text: `${check.detail} (checked ${when}).` } as Reason;
}

function imageReadiness(
  workload: Workload,
  image: string,
  input: ClusterReadinessInput,
  objects: ReturnType<typeof groupByNamespace>,
  targets: RepositoryTarget[],
): ImageReadiness {
  const parsed = parseImageReference(image);
  if (!parsed.ok)
    return {
      image,
      registry: null,
      verdict: "will_fail",
      reasons: [
        {
          code: "image_invalid",
          severity: "fail",
          text: `The kubelet cannot parse this image reference: ${parsed.reason}.`,
          fix: "Fix the image reference in the workload.",
        },
      ],
    };
  const ref = parsed.value;
  const nodePulls = input.nodeCredentialImages.find((glob) => urlsMatch(glob, ref.name));
  const registry = resolveRegistry(input.registries, ref);
  const reasons: Reason[] = [];
  if (nodePulls)
    reasons.push({
      code: "node_credentials",
      severity: "unknown",
      text: `The cluster's nodes pull images matching ${nodePulls} with a kubelet credential provider; Regcred cannot see those credentials.`,
    });
  if (!registry) {
    if (!nodePulls)
      reasons.push({
        code: "no_registry",
        severity: "unknown",
        text: `No registry in Regcred matches ${ref.familiar}: a public image pulls without a secret, a private one will fail.`,
        fix: `If ${ref.domain} needs credentials, add the registry (Registries → Add).`,
      });
    return { image, registry: null, verdict: verdictOf(reasons), reasons };
  }
  const namespace = workload.metadata.namespace ?? "default";
  const target = repositoryTarget(registry.id, ref);
  targets.push(target);
  const where = `${target.repository}:${target.reference} on ${target.host}`;
  if (registry.type === "public") {
    reasons.push({
      code: "public_registry",
      severity: "ok",
      text: `${registry.id} is a public registry: no secret is needed.`,
    });
  } else {
    reasons.push({
      code: "registry_matched",
      severity: "ok",
      text: `The image resolves to the registry ${registry.id}.`,
    });
    const secret = secretFact(
      objects.secrets.get(namespace) ?? [],
      registry,
      input.owner,
      input.now,
      input.credentialFailures.get(registry.id),
    );
    reasons.push(secret.reason);
    if (secret.ok)
      reasons.push(wiringFact(workload, secret.name, input.wiring, objects.serviceAccounts.get(namespace)));
  }
  reasons.push(credentialReason(target, input, where));
  const verdict = verdictOf(reasons);
  // Pulls through the nodes' own credentials may succeed where Regcred's would not: never a false will_fail.
  return { image, registry: registry.id, verdict: nodePulls && verdict === "will_fail" ? "unknown" : verdict, reasons };
}

/** Pods of the workload stuck on a pull, and whether the verdict of that image explains it. */
function stuckPodsOf(pods: readonly Workload[], images: readonly ImageReadiness[]): StuckPodReadiness[] {
  return podPullStates(pods).flatMap((p) =>
    p.waiting.map((c) => ({
      pod: p.name,
      container: c.container,
      image: c.image,
      reason: c.reason,
      explained: images.find((i) => i.image === c.image)?.verdict === "will_fail",
    })),
  );
}

/**
 * Every top-level workload of one cluster with a verdict per image, and the repository checks those verdicts rest on.
 * Pure: reads only its input. A stuck Pod of a workload is judged on its own spec (which cannot change).
 */
export function evaluateClusterReadiness(input: ClusterReadinessInput): {
  workloads: WorkloadReadiness[];
  targets: RepositoryTarget[];
} {
  const objects = groupByNamespace(input.secrets, input.serviceAccounts);
  const owners = indexOwners(input.workloads);
  const podsByTop = new Map<string, Workload[]>();
  for (const w of input.workloads)
    if (w.kind === "Pod") {
      const key = workloadKey(owners.topOf(w));
      podsByTop.set(key, [...(podsByTop.get(key) ?? []), w]);
    }
  const targets: RepositoryTarget[] = [];
  const workloads = owners.top.map((w): WorkloadReadiness => {
    const images = extractWorkloadImages(w).images.map((image) => imageReadiness(w, image, input, objects, targets));
    const pods = podsByTop.get(workloadKey(w)) ?? [];
    const stuck = stuckPodsOf(pods, images);
    for (const s of stuck)
      images
        .find((i) => i.image === s.image)
        ?.reasons.push({
          code: "pull_backoff",
          severity: "info",
          text: `Pod ${s.pod} waits in ${s.reason} for this image.`,
        });
    // A stuck pod of a template workload was made from its own (maybe older) spec: judge that spec too.
    for (const pod of pods)
      if (pod !== w && stuck.some((s) => s.pod === pod.metadata.name)) {
        for (const s of stuck.filter((x) => x.pod === pod.metadata.name && !x.explained)) {
          const own = imageReadiness(pod, s.image, input, objects, []);
          s.explained = own.verdict === "will_fail";
        }
      }
    return {
      cluster: input.cluster.name,
      cluster_id: input.cluster.id,
      namespace: w.metadata.namespace ?? "default",
      kind: w.kind,
      name: w.metadata.name,
      verdict: worst(images.map((i) => i.verdict)),
      images,
      stuck_pods: stuck,
    };
  });
  return { workloads, targets };
}

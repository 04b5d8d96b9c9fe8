import { type MatchableRegistry, resolveRegistry } from "@/lib/images/matching";
import { parseImageReference } from "@/lib/images/reference";
import { DEFAULT_NAMESPACE, secretNameFor } from "./labels";
import type { ContainerStatus, Pod, Workload } from "@/lib/integrations/kube/workloads";

export const STUCK_PULL_REASONS: readonly string[] = ["ImagePullBackOff", "ErrImagePull"];

/** A container of a Pod waiting to pull its image. */
export type WaitingContainer = { container: string; image: string; reason: string };
/** A Pod with at least one container waiting on an image pull, as read in the pass's Pod LIST. */
export type PodPullState = {
  namespace: string;
  name: string;
  uid?: string;
  controlled: boolean;
  pullSecrets: string[];
  waiting: WaitingContainer[];
};
/**
 * A waiting container whose image resolves to a registry whose regcred secret is present in the Pod's namespace.
 * `restartable`: controller-owned and admitted without that secret, so a re-created Pod gets it.
 */
export type StuckPod = {
  namespace: string;
  pod: string;
  uid?: string;
  container: string;
  image: string;
  reason: string;
  controlled: boolean;
  secretName: string;
  restartable: boolean;
};

function waitingOf(pod: Pod, statuses: readonly ContainerStatus[] | undefined): WaitingContainer[] {
  const specImages = new Map(
    [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => [c.name, c.image ?? ""]),
  );
  return (statuses ?? []).flatMap((s) => {
    if (!s.waitingReason || !STUCK_PULL_REASONS.includes(s.waitingReason)) return [];
    // The spec's image is what matching saw; the status may hold a normalised form.
    const image = specImages.get(s.name) || s.image || "";
    return image ? [{ container: s.name, image, reason: s.waitingReason }] : [];
  });
}

/** Pods whose containers wait on ImagePullBackOff or ErrImagePull, from workloads already listed. */
export function podPullStates(workloads: readonly Workload[]): PodPullState[] {
  return workloads.flatMap((w): PodPullState[] => {
    if (w.kind !== "Pod") return [];
    const waiting = [...waitingOf(w, w.status?.initContainerStatuses), ...waitingOf(w, w.status?.containerStatuses)];
    if (waiting.length === 0) return [];
    const controlled = (w.metadata.ownerReferences ?? []).some((o) => o.controller === true);
    const pullSecrets = (w.spec.imagePullSecrets ?? []).map((r) => r.name ?? "").filter(Boolean);
    return [
      {
        namespace: w.metadata.namespace ?? DEFAULT_NAMESPACE,
        name: w.metadata.name,
        uid: w.metadata.uid,
        controlled,
        pullSecrets,
        waiting,
      },
    ];
  });
}

/**
 * Waiting containers that a pull secret now fixes: the image resolves to a non-public registry and
 * `present(namespace, secretName)` says that registry's regcred secret exists in the Pod's namespace.
 */
export function findStuckPods(
  pods: readonly PodPullState[],
  registries: readonly MatchableRegistry[],
  present: (namespace: string, secretName: string) => boolean,
  nameFor: (namespace: string, registryId: string) => string = (_ns, id) => secretNameFor(id),
): StuckPod[] {
  return pods.flatMap((p) =>
    p.waiting.flatMap((w): StuckPod[] => {
      const parsed = parseImageReference(w.image);
      const registry = parsed.ok ? resolveRegistry(registries, parsed.value) : null;
      if (!registry || registry.type === "public") return [];
      const secretName = nameFor(p.namespace, registry.id);
      if (!present(p.namespace, secretName)) return [];
      // A Pod that already lists the secret fails for another reason: re-creating it would loop.
      const restartable = p.controlled && !p.pullSecrets.includes(secretName);
      return [
        {
          namespace: p.namespace,
          pod: p.name,
          uid: p.uid,
          container: w.container,
          image: w.image,
          reason: w.reason,
          controlled: p.controlled,
          secretName,
          restartable,
        },
      ];
    }),
  );
}

import type { LocalObjectReference, PodSpec, Workload, WorkloadKind } from "@/lib/integrations/kube/workloads";
import { DEFAULT_NAMESPACE, DEFAULT_SERVICE_ACCOUNT } from "./labels";

export type WorkloadImages = {
  namespace: string;
  kind: WorkloadKind;
  name: string;
  serviceAccountName: string;
  /** Distinct images in container order: init, regular, then ephemeral (Pods only). */
  images: string[];
  /** The pod (template) spec's own imagePullSecrets; the ServiceAccount's are only added to pods that have none. */
  imagePullSecrets: LocalObjectReference[];
  /** Has a controller owner (a Deployment's ReplicaSet, a CronJob's Job, a ReplicaSet's Pod). */
  controlled: boolean;
  /** Whether podtemplate mode may patch it: Pod specs and Job templates are immutable, controlled objects get overwritten. */
  templatePatchable: boolean;
};

export function podSpecOf(workload: Workload): PodSpec {
  switch (workload.kind) {
    case "Pod":
      return workload.spec;
    case "CronJob":
      return workload.spec.jobTemplate.spec.template.spec;
    default:
      return workload.spec.template.spec;
  }
}

function imagesOf(spec: PodSpec, includeEphemeral: boolean): string[] {
  const containers = [
    ...(spec.initContainers ?? []),
    ...spec.containers,
    ...(includeEphemeral ? (spec.ephemeralContainers ?? []) : []),
  ];
  const images = containers.map((c) => c.image?.trim() ?? "").filter((image) => image !== "");
  return [...new Set(images)];
}

export function extractWorkloadImages(workload: Workload): WorkloadImages {
  const spec = podSpecOf(workload);
  const controlled = (workload.metadata.ownerReferences ?? []).some((owner) => owner.controller === true);
  return {
    namespace: workload.metadata.namespace ?? DEFAULT_NAMESPACE,
    kind: workload.kind,
    name: workload.metadata.name,
    serviceAccountName: spec.serviceAccountName || spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT,
    images: imagesOf(spec, workload.kind === "Pod"),
    imagePullSecrets: [...(spec.imagePullSecrets ?? [])],
    controlled,
    templatePatchable: !controlled && workload.kind !== "Pod" && workload.kind !== "Job",
  };
}

export function extractAllWorkloadImages(workloads: readonly Workload[]): WorkloadImages[] {
  return workloads.map(extractWorkloadImages);
}

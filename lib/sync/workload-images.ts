import { DEFAULT_NAMESPACE, DEFAULT_SERVICE_ACCOUNT } from "./labels";

export type KubeLabels = Readonly<Record<string, string>>;
export type OwnerReference = { kind: string; name: string; controller?: boolean };
export type ObjectMeta = {
  name: string;
  namespace?: string;
  labels?: KubeLabels;
  annotations?: KubeLabels;
  ownerReferences?: readonly OwnerReference[];
  /** As read from the API; used as a write precondition. */
  resourceVersion?: string;
  uid?: string;
};
export type LocalObjectReference = { name?: string };
export type Container = { name: string; image?: string };
export type PodSpec = {
  serviceAccountName?: string;
  /** Deprecated alias of serviceAccountName, still honoured by the API server. */
  serviceAccount?: string;
  containers: readonly Container[];
  initContainers?: readonly Container[];
  ephemeralContainers?: readonly Container[];
  imagePullSecrets?: readonly LocalObjectReference[];
};
export type PodTemplateSpec = { metadata?: Partial<ObjectMeta>; spec: PodSpec };
type Templated<K extends string> = { kind: K; metadata: ObjectMeta; spec: { template: PodTemplateSpec } };

/** A container's state as the kubelet reports it; only what stuck-pod detection reads. */
export type ContainerStatus = { name: string; image?: string; waitingReason?: string };
export type PodStatus = {
  initContainerStatuses?: readonly ContainerStatus[];
  containerStatuses?: readonly ContainerStatus[];
};
export type Pod = { kind: "Pod"; metadata: ObjectMeta; spec: PodSpec; status?: PodStatus };
export type Deployment = Templated<"Deployment">;
export type StatefulSet = Templated<"StatefulSet">;
export type DaemonSet = Templated<"DaemonSet">;
export type ReplicaSet = Templated<"ReplicaSet">;
export type Job = Templated<"Job">;
export type CronJob = {
  kind: "CronJob";
  metadata: ObjectMeta;
  spec: { jobTemplate: { spec: { template: PodTemplateSpec } } };
};
export type Workload = Pod | Deployment | StatefulSet | DaemonSet | ReplicaSet | Job | CronJob;
export type WorkloadKind = Workload["kind"];

export type ServiceAccount = {
  kind: "ServiceAccount";
  metadata: ObjectMeta;
  imagePullSecrets?: readonly LocalObjectReference[];
};
export type Namespace = { kind: "Namespace"; metadata: ObjectMeta };
export type Secret = { kind: "Secret"; metadata: ObjectMeta; type?: string; data?: Readonly<Record<string, string>> };

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

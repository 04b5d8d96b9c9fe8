// The Kubernetes objects Regcred reads from workloads, reduced to the fields it uses.
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

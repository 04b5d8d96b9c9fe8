import type { Failure, Result } from "../../result";
import type { Workload, WorkloadKind } from "./workloads";

export type KubeErrorKind = "unreachable" | "unauthorized" | "forbidden" | "not-found" | "conflict" | "invalid";

/** A failed Kubernetes call as a value; the message never carries credentials. */
export type KubeError = Failure<KubeErrorKind> & { status?: number };

export type KubeResult<T> = Result<T, KubeError>;

/** How to reach a cluster: a single-context kubeconfig (JSON or YAML text), or the pod's own service account. */
export type KubeConnectConfig =
  { kind: "kubeconfig"; kubeconfig: string } | { kind: "in-cluster"; server: string; serviceAccountDir?: string };

export type KubeRequestInfo = { method: string; url: string };
export type KubeConnectOptions = {
  timeoutMs?: number;
  /** Called for every HTTP request sent (watches included); for request counting in benches and tests. */
  onRequest?: (info: KubeRequestInfo) => void;
};

export type KubeVersion = { gitVersion: string; major: string; minor: string; platform: string };

export type KubeUser = { username: string; groups: string[] };

export type AccessAttributes = {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
};

export type AccessDecision = { allowed: boolean; denied: boolean; reason: string | null };

export type KubeNamespace = {
  name: string;
  labels: Record<string, string>;
  phase: string | null;
  createdAt: string | null;
};

export type KubeSecret = {
  namespace: string;
  name: string;
  type: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Base64 values as the API returns them. */
  data: Record<string, string>;
  resourceVersion: string | null;
  createdAt: string | null;
};

export type ListSecretsOptions = { labelSelector?: string; fieldSelector?: string };

export type KubeServiceAccount = {
  namespace: string;
  name: string;
  imagePullSecrets: string[];
  resourceVersion: string | null;
  annotations?: Record<string, string>;
};

/** A secret to create or replace; `data` holds base64 values. */
export type SecretWrite = {
  namespace: string;
  name: string;
  type: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  data: Record<string, string>;
};

/** Optimistic concurrency: the write fails with `conflict` when the object changed since it was read. */
export type Precondition = { resourceVersion?: string | null };

export type PullSecretRefs = ReadonlyArray<{ name?: string }>;

export type KubeLease = {
  namespace: string;
  name: string;
  holderIdentity: string | null;
  leaseDurationSeconds: number | null;
  acquireTime: string | null;
  renewTime: string | null;
  leaseTransitions: number;
  resourceVersion: string | null;
};
export type LeaseWrite = Omit<KubeLease, "resourceVersion"> & { resourceVersion?: string | null };

export type WatchKind = "Namespace" | "Pod" | "ServiceAccount" | "Secret" | WorkloadKind;
export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";
/** A watch event: the raw object as the API sent it (kind-specific), with the event type. */
export type WatchEvent = {
  type: WatchEventType;
  kind: WatchKind;
  object: {
    metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  } & Record<string, unknown>;
};
export type WatchOptions = { namespace?: string; labelSelector?: string; fieldSelector?: string };
export type WatchListener = {
  onEvent: (event: WatchEvent) => void;
  /** The watch (re)connected; `gap` is true when events may have been missed (first start, 410 Gone, reconnect after an error). */
  onConnected?: (gap: boolean) => void;
  onError?: (error: KubeError, retryInMs: number) => void;
};
export type WatchHandle = { stop: () => void };

/** A change to an informer's store: from the watch, or found by comparing a LIST with the store (all ADDED on the first). */
export type InformerEvent<T> = {
  type: "ADDED" | "MODIFIED" | "DELETED";
  /** `namespace/name`, or `name` for cluster-scoped kinds. */
  key: string;
  namespace: string;
  object: T;
  /** The stored object before this event (MODIFIED, DELETED). */
  previous?: T;
};
export type InformerListener<T> = {
  onEvent?: (event: InformerEvent<T>) => void;
  /** A LIST completed and the store holds it (first start, and every re-list after 410 Gone). */
  onSynced?: () => void;
  onError?: (error: KubeError, retryInMs: number) => void;
};
/**
 * A list-watch cache of one collection: one LIST at start, then a watch from that resourceVersion; re-listed
 * only on 410 Gone (the watch cannot resume). Objects are kept as `map` reduced them, never as sent.
 */
export interface Informer<T> {
  /** True once the first LIST is in the store. */
  readonly synced: boolean;
  /** LISTs made so far (1 after start, one more per re-list). */
  readonly lists: number;
  /** Why the last LIST or watch failed, until the next success. */
  readonly lastError: KubeError | null;
  get(key: string): T | undefined;
  values(): IterableIterator<T>;
  /** Objects in one namespace (an index kept beside the store). */
  inNamespace(namespace: string): T[];
  /** Puts an object this process just wrote (as the API answered it) into the store ahead of its watch event. */
  remember(key: string, namespace: string, object: T, resourceVersion: string | null): void;
  /** Removes an object this process just deleted, ahead of its watch event. */
  forget(key: string): void;
  stop(): void;
}
export type InformerOptions<T> = WatchOptions & {
  /** Reduces a raw API object to what the store keeps (null: not kept). */
  map: (raw: unknown) => T | null;
};

/** The small surface Regcred needs from a cluster; every method resolves to a value and never throws. */
export interface KubeClient {
  readonly server: string;
  version(): Promise<KubeResult<KubeVersion>>;
  /** SelfSubjectReview: who the credentials authenticate as. */
  whoAmI(): Promise<KubeResult<KubeUser>>;
  /** SelfSubjectAccessReview for one verb on one resource (cluster-wide when namespace is omitted). */
  accessReview(attrs: AccessAttributes): Promise<KubeResult<AccessDecision>>;
  listNamespaces(labelSelector?: string): Promise<KubeResult<KubeNamespace[]>>;
  /** Secrets across all namespaces, paginated internally. */
  listSecrets(opts?: ListSecretsOptions): Promise<KubeResult<KubeSecret[]>>;
  getSecret(namespace: string, name: string): Promise<KubeResult<KubeSecret>>;
  /** ServiceAccounts across all namespaces, paginated internally. */
  listServiceAccounts(): Promise<KubeResult<KubeServiceAccount[]>>;
  /** Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs across all namespaces: one paginated LIST per kind. */
  listWorkloads(): Promise<KubeResult<Workload[]>>;
  createSecret(secret: SecretWrite): Promise<KubeResult<KubeSecret>>;
  /** PUT of the whole secret; with a resourceVersion it fails with `conflict` if the secret changed. */
  replaceSecret(secret: SecretWrite, pre?: Precondition): Promise<KubeResult<KubeSecret>>;
  /** Merge-patches metadata.annotations and, when given, metadata.labels (null removes a key). */
  annotateSecret(
    namespace: string,
    name: string,
    annotations: Record<string, string | null>,
    pre?: Precondition,
    labels?: Record<string, string | null>,
  ): Promise<KubeResult<KubeSecret>>;
  /** Deletes a secret; `not-found` is reported as such, the caller decides whether it matters. */
  deleteSecret(namespace: string, name: string, pre?: Precondition): Promise<KubeResult<void>>;
  /** Sets the whole imagePullSecrets list (JSON merge patch; with `annotations`, those too); the caller keeps foreign entries in it. */
  patchServiceAccountPullSecrets(
    namespace: string,
    name: string,
    refs: PullSecretRefs,
    pre?: Precondition,
    annotations?: Record<string, string | null>,
  ): Promise<KubeResult<KubeServiceAccount>>;
  /** Sets a workload's pod-template imagePullSecrets (podtemplate mode; this rolls the workload out). */
  patchWorkloadPullSecrets(
    kind: WorkloadKind,
    namespace: string,
    name: string,
    refs: PullSecretRefs,
    pre?: Precondition,
  ): Promise<KubeResult<void>>;
  /** Deletes a Pod (its controller re-creates it); with `uid` only that incarnation of the name. */
  deletePod(namespace: string, name: string, pre?: { uid?: string }): Promise<KubeResult<void>>;
  getLease(namespace: string, name: string): Promise<KubeResult<KubeLease>>;
  createLease(lease: LeaseWrite): Promise<KubeResult<KubeLease>>;
  /** PUT with the lease's resourceVersion: `conflict` when someone else wrote it first. */
  updateLease(lease: LeaseWrite): Promise<KubeResult<KubeLease>>;
  /** The current resourceVersion of a collection (a LIST with limit=1), to start a watch from "now". */
  collectionVersion(kind: WatchKind, opts?: WatchOptions): Promise<KubeResult<string>>;
  /** A watch that reconnects with exponential backoff until stopped; never throws. */
  watch(kind: WatchKind, opts: WatchOptions, listener: WatchListener): WatchHandle;
  /** A list-watch cache of one collection (see Informer); retries with backoff until stopped; never throws. */
  informer<T>(kind: WatchKind, opts: InformerOptions<T>, listener: InformerListener<T>): Informer<T>;
}

export type KubeErrorKind = "unreachable" | "unauthorized" | "forbidden" | "not-found" | "conflict" | "invalid";

/** A failed Kubernetes call as a value; the message never carries credentials. */
export type KubeError = { kind: KubeErrorKind; message: string; status?: number };

export type KubeResult<T> = { ok: true; value: T } | { ok: false; error: KubeError };

/** How to reach a cluster: a single-context kubeconfig (JSON or YAML text), or the pod's own service account. */
export type KubeConnectConfig =
  | { kind: "kubeconfig"; kubeconfig: string }
  | { kind: "in-cluster"; server: string; serviceAccountDir?: string };

export type KubeConnectOptions = { timeoutMs?: number };

export type KubeVersion = { gitVersion: string; major: string; minor: string; platform: string };

export type KubeUser = { username: string; groups: string[] };

export type AccessAttributes = { verb: string; group: string; resource: string; namespace?: string; name?: string; subresource?: string };

export type AccessDecision = { allowed: boolean; denied: boolean; reason: string | null };

export type KubeNamespace = { name: string; labels: Record<string, string>; phase: string | null; createdAt: string | null };

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
}

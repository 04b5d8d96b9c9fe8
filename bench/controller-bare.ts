// The baselines the controller is measured against, with nothing but @kubernetes/client-node: the same writes
// (create the pull secret, merge-patch the default ServiceAccount's imagePullSecrets) a controller has to make.
import {
  type CoreV1Api,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Secret,
  Watch,
} from "@kubernetes/client-node";

const MERGE_PATCH = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** A client-node Watch without its 30 s inactivity timeout (a quiet watch is not a dead one). */
export function longWatch(kc: KubeConfig): Watch {
  const w = new Watch(kc);
  (w as unknown as { requestTimeoutMs: number }).requestTimeoutMs = 4 * 3_600_000;
  return w;
}

/** Runs fn over items with at most `size` at a time. */
export async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export function pullSecret(name: string, registry: string): V1Secret {
  const auth = Buffer.from("bench:not-a-real-password").toString("base64");
  const config = JSON.stringify({
    auths: { [registry]: { username: "bench", password: "not-a-real-password", auth } },
  });
  return {
    metadata: { name, labels: { "regcred-bench/bare": "1" } },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": Buffer.from(config).toString("base64") },
  };
}

/** The two writes per namespace: create the secret, put it on the default ServiceAccount. */
export async function bareWrite(core: CoreV1Api, namespace: string, secret: V1Secret): Promise<void> {
  await core.createNamespacedSecret({ namespace, body: secret });
  await core.patchNamespacedServiceAccount(
    { namespace, name: "default", body: { imagePullSecrets: [{ name: secret.metadata!.name! }] } },
    MERGE_PATCH,
  );
}

/** Fan-out by a bare client: the two writes in every namespace, `concurrency` namespaces at a time. */
export function bareFanOut(core: CoreV1Api, namespaces: readonly string[], concurrency: number, secret: V1Secret) {
  return pool(namespaces, concurrency, (ns) => bareWrite(core, ns, secret));
}

/**
 * The smallest reactive controller: a watch on Deployments (label selector), and on each ADDED one the two
 * writes in its namespace. What the API server and this machine allow for Deployment → secret.
 */
export async function startBareReactor(
  kc: KubeConfig,
  core: CoreV1Api,
  labelSelector: string,
  secret: V1Secret,
): Promise<{ stop: () => void; errors: () => number }> {
  let errors = 0;
  let closed = false;
  const abort = await longWatch(kc).watch(
    "/apis/apps/v1/deployments",
    { labelSelector, timeoutSeconds: 7_200 },
    (type: string, d: { metadata?: { namespace?: string } }) => {
      if (type !== "ADDED") return;
      void bareWrite(core, d.metadata!.namespace!, secret).catch(() => (errors += 1));
    },
    (err) => {
      if (!closed && err) errors += 1;
    },
  );
  return {
    stop: () => {
      closed = true;
      abort.abort();
    },
    errors: () => errors,
  };
}

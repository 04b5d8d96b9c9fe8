import type { KubeClient } from "./types";

/** A KubeClient whose every call fails with `invalid` (no SDK involved): the base for fakes in unit tests and for unusable connection details. */
export function stubClient(server: string, message = "not available"): KubeClient {
  const error = { kind: "invalid" as const, message };
  const fail = async () => ({ ok: false as const, error });
  return {
    server,
    version: fail,
    whoAmI: fail,
    accessReview: fail,
    listNamespaces: fail,
    listSecrets: fail,
    getSecret: fail,
    listServiceAccounts: fail,
    listWorkloads: fail,
    createSecret: fail,
    replaceSecret: fail,
    annotateSecret: fail,
    deleteSecret: fail,
    patchServiceAccountPullSecrets: fail,
    patchWorkloadPullSecrets: fail,
    deletePod: fail,
    getLease: fail,
    createLease: fail,
    updateLease: fail,
    collectionVersion: fail,
    watch: (_kind, _opts, listener) => {
      const timer = setTimeout(() => listener.onError?.(error, 0), 0);
      return { stop: () => clearTimeout(timer) };
    },
    informer: (_kind, _opts, listener) => {
      const timer = setTimeout(() => listener.onError?.(error, 0), 0);
      return {
        synced: false,
        lists: 0,
        lastError: error,
        get: () => undefined,
        values: () => [][Symbol.iterator](),
        inNamespace: () => [],
        remember: () => {},
        forget: () => {},
        stop: () => clearTimeout(timer),
      };
    },
  };
}

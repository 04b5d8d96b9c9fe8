import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import { toKubeError } from "./errors";
import { sdk } from "./sdk";
import type { KubeConnectConfig, KubeResult } from "./types";

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Sent on every request, so API server audit logs show which client wrote. */
export const USER_AGENT = "regcred";
const SERVICEACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

// Same as KubeConfig.loadFromCluster, with the server and directory passed in; the token file is re-read as it rotates.
function loadInCluster(kc: KubeConfig, server: string, dir: string): void {
  kc.loadFromOptions({
    clusters: [{ name: "in-cluster", server, caFile: `${dir}/ca.crt`, skipTLSVerify: false }],
    users: [{ name: "in-cluster", authProvider: { name: "tokenFile", config: { tokenFile: `${dir}/token` } } }],
    contexts: [{ name: "in-cluster", cluster: "in-cluster", user: "in-cluster" }],
    currentContext: "in-cluster",
  });
}

/** The KubeConfig for stored connection details, or why it cannot be used. */
export function loadConfig(config: KubeConnectConfig): KubeConfig | string {
  const kc = new (sdk().KubeConfig)();
  try {
    if (config.kind === "in-cluster") loadInCluster(kc, config.server, config.serviceAccountDir ?? SERVICEACCOUNT_DIR);
    else kc.loadFromString(config.kubeconfig);
  } catch {
    return "the stored connection details could not be read";
  }
  const user = kc.getCurrentUser();
  if (!kc.getCurrentCluster() || !user) return "the connection details name no cluster or user";
  // Defence in depth: exec plugins and auth providers are refused before storing, and must never run here.
  if (config.kind === "kubeconfig" && (user.exec || user.authProvider))
    return "exec plugins and auth providers are not supported";
  return kc;
}

/** Runs a call and turns any failure into a KubeResult error value. */
export function resultRunner(timeoutMs: number) {
  return async <T>(fn: () => Promise<T>): Promise<KubeResult<T>> => {
    try {
      return { ok: true, value: await fn() };
    } catch (err) {
      return { ok: false, error: toKubeError(err, timeoutMs) };
    }
  };
}

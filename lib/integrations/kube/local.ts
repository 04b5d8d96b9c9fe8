import "server-only";
import fs from "node:fs";
import path from "node:path";
import { describeError, log } from "../../log";

const SERVICEACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The environment these conventions read; the kubelet and kubectl set them, so lib/env.ts does not validate them. */
export type KubeEnvironment = {
  serviceHost?: string;
  servicePort?: string;
  kubeconfig?: string;
  serviceAccountDir: string;
};

export function kubeEnvironment(): KubeEnvironment {
  // eslint-disable-next-line no-restricted-syntax -- set by the kubelet / the operator's shell, not Regcred configuration
  const { KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT, KUBECONFIG } = process.env;
  return {
    serviceHost: KUBERNETES_SERVICE_HOST,
    servicePort: KUBERNETES_SERVICE_PORT,
    kubeconfig: KUBECONFIG,
    serviceAccountDir: SERVICEACCOUNT_DIR,
  };
}

export type InClusterInfo = { server: string; namespace: string | null; serviceAccountDir: string };

/** Present when running in a pod: KUBERNETES_SERVICE_HOST is set and the service-account token is mounted. */
export function detectInCluster(e: KubeEnvironment = kubeEnvironment()): InClusterInfo | null {
  if (!e.serviceHost || !fs.existsSync(path.join(e.serviceAccountDir, "token"))) return null;
  const host = e.serviceHost.includes(":") ? `[${e.serviceHost}]` : e.serviceHost;
  let namespace: string | null = null;
  try {
    namespace = fs.readFileSync(path.join(e.serviceAccountDir, "namespace"), "utf8").trim() || null;
  } catch {
    namespace = null;
  }
  return { server: `https://${host}:${e.servicePort || "443"}`, namespace, serviceAccountDir: e.serviceAccountDir };
}

export type KubeconfigFile = { path: string; text: string };

/** The kubeconfig files named by KUBECONFIG at start-up (colon-separated, as kubectl reads them); unreadable ones are skipped. */
export function readStartupKubeconfigs(e: KubeEnvironment = kubeEnvironment()): KubeconfigFile[] {
  if (!e.kubeconfig) return [];
  return e.kubeconfig
    .split(path.delimiter)
    .filter(Boolean)
    .flatMap((file) => {
      try {
        return [{ path: path.resolve(file), text: fs.readFileSync(file, "utf8") }];
      } catch (err) {
        log.warn("a KUBECONFIG file could not be read", { path: file, ...describeError(err) });
        return [];
      }
    });
}

/** Reads a file a kubeconfig refers to (relative to that kubeconfig) as base64, or null. */
export function readReferencedFile(kubeconfigPath: string, file: string): string | null {
  try {
    return fs.readFileSync(path.resolve(path.dirname(kubeconfigPath), file)).toString("base64");
  } catch {
    return null;
  }
}

// External Secrets Operator v0.16.2, built by bench/eso/build.sh, run out of cluster against the bench's API
// server: its CRDs, a ClusterSecretStore (`kubernetes` provider, `cert` auth), an ECR ClusterGenerator, and the
// process itself inside a mount namespace of its own whose /etc/hosts sends ECR's API name to the moto front.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
  loadAllYaml,
} from "@kubernetes/client-node";
import type { KubeEnv } from "@/test/helpers/kube";
import { sleep } from "./kube";

const ESO_NS = "eso-system";
export const CENTRAL_NS = "eso-central";
export const CENTRAL_SECRET = "central-pull";
const STORE = "central";
const GENERATOR = "ecr";

export async function installCrds(kc: KubeConfig, bundle: string): Promise<number> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const docs = loadAllYaml(fs.readFileSync(bundle, "utf8")) as KubernetesObject[];
  const crds = docs.filter((d) => d?.kind === "CustomResourceDefinition");
  for (const crd of crds) await api.create(crd);
  const custom = kc.makeApiClient(CustomObjectsApi);
  for (let i = 0; ; i++) {
    try {
      await custom.listClusterCustomObject({
        group: "external-secrets.io",
        version: "v1",
        plural: "clusterexternalsecrets",
      });
      await custom.listClusterCustomObject({
        group: "generators.external-secrets.io",
        version: "v1alpha1",
        plural: "clustergenerators",
      });
      break;
    } catch (err) {
      if (i > 100) throw err;
      await sleep(200);
    }
  }
  return crds.length;
}

/** The central pull secret, the store that reads it (cert auth as the bench's admin), the ECR ClusterGenerator. */
export async function installStoreAndGenerator(kc: KubeConfig, env: KubeEnv, dockerconfigjson: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  for (const ns of [ESO_NS, CENTRAL_NS]) await core.createNamespace({ body: { metadata: { name: ns } } });
  await core.createNamespacedSecret({
    namespace: CENTRAL_NS,
    body: {
      metadata: { name: CENTRAL_SECRET },
      type: "kubernetes.io/dockerconfigjson",
      stringData: { ".dockerconfigjson": dockerconfigjson },
    },
  });
  await core.createNamespacedSecret({
    namespace: ESO_NS,
    body: {
      metadata: { name: "eso-client" },
      stringData: {
        "tls.crt": fs.readFileSync(env.KUBE_ADMIN_CERT_FILE, "utf8"),
        "tls.key": fs.readFileSync(env.KUBE_ADMIN_KEY_FILE, "utf8"),
      },
    },
  });
  await custom.createClusterCustomObject({
    group: "external-secrets.io",
    version: "v1",
    plural: "clustersecretstores",
    body: {
      apiVersion: "external-secrets.io/v1",
      kind: "ClusterSecretStore",
      metadata: { name: STORE },
      spec: {
        provider: {
          kubernetes: {
            remoteNamespace: CENTRAL_NS,
            server: { url: env.KUBE_API_URL, caBundle: fs.readFileSync(env.KUBE_CA_FILE).toString("base64") },
            auth: {
              cert: {
                clientCert: { name: "eso-client", namespace: ESO_NS, key: "tls.crt" },
                clientKey: { name: "eso-client", namespace: ESO_NS, key: "tls.key" },
              },
            },
          },
        },
      },
    },
  });
  await custom.createClusterCustomObject({
    group: "generators.external-secrets.io",
    version: "v1alpha1",
    plural: "clustergenerators",
    body: {
      apiVersion: "generators.external-secrets.io/v1alpha1",
      kind: "ClusterGenerator",
      metadata: { name: GENERATOR },
      // No auth block: the session takes the AWS keys from ESO's environment (as with IRSA or node credentials).
      spec: { kind: "ECRAuthorizationToken", generator: { ecrAuthorizationTokenSpec: { region: "us-east-1" } } },
    },
  });
}

export type EsoCase = "copy" | "ecr";

/** A ClusterExternalSecret making secret `target` in every namespace labelled eso-bench=<label>. */
export async function createClusterExternalSecret(kc: KubeConfig, kind: EsoCase, label: string, target: string) {
  const template =
    kind === "copy"
      ? {
          type: "kubernetes.io/dockerconfigjson",
          engineVersion: "v2",
          data: { ".dockerconfigjson": '{{ index . ".dockerconfigjson" }}' },
        }
      : {
          type: "kubernetes.io/dockerconfigjson",
          engineVersion: "v2",
          data: {
            ".dockerconfigjson":
              '{"auths":{"{{ .proxy_endpoint }}":{"username":"{{ .username }}","password":"{{ .password }}","auth":"{{ printf "%s:%s" .username .password | b64enc }}"}}}',
          },
        };
  const source =
    kind === "copy"
      ? {
          secretStoreRef: { kind: "ClusterSecretStore", name: STORE },
          data: [{ secretKey: ".dockerconfigjson", remoteRef: { key: CENTRAL_SECRET, property: ".dockerconfigjson" } }],
        }
      : {
          dataFrom: [
            {
              sourceRef: {
                generatorRef: {
                  apiVersion: "generators.external-secrets.io/v1alpha1",
                  kind: "ClusterGenerator",
                  name: GENERATOR,
                },
              },
            },
          ],
        };
  await kc.makeApiClient(CustomObjectsApi).createClusterCustomObject({
    group: "external-secrets.io",
    version: "v1",
    plural: "clusterexternalsecrets",
    body: {
      apiVersion: "external-secrets.io/v1",
      kind: "ClusterExternalSecret",
      metadata: { name: label },
      spec: {
        namespaceSelectors: [{ matchLabels: { "eso-bench": label } }],
        externalSecretName: target,
        refreshTime: "1m",
        externalSecretSpec: { refreshInterval: "1h", target: { name: target, template }, ...source },
      },
    },
  });
}

export type EsoProcess = { pid: number; stop: () => Promise<void> };

/**
 * Starts ESO's controller (no webhook, no cert-controller: those are separate subcommands) with `extraArgs`.
 * `unshare -m` + a bind mount give it an /etc/hosts of its own; unshare and sh exec, so `pid` is ESO's.
 */
export async function startEso(opts: {
  bin: string;
  kubeconfig: string;
  hostsFile: string;
  caFile: string;
  aws: { accessKeyId: string; secretAccessKey: string };
  extraArgs: string[];
  logFile: string;
}): Promise<EsoProcess> {
  const args = ["--metrics-addr", "0", "--enable-leader-election=false", ...opts.extraArgs];
  const script = `mount --bind "$ESO_HOSTS" /etc/hosts && exec "$ESO_BIN" ${args.map((a) => `'${a}'`).join(" ")}`;
  const out = fs.openSync(opts.logFile, "a");
  const child: ChildProcess = spawn("unshare", ["-m", "--propagation", "private", "sh", "-c", script], {
    stdio: ["ignore", out, out],
    env: {
      PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin",
      HOME: process.env.HOME ?? "/root",
      KUBECONFIG: opts.kubeconfig,
      ESO_HOSTS: opts.hostsFile,
      ESO_BIN: opts.bin,
      SSL_CERT_FILE: opts.caFile,
      AWS_ACCESS_KEY_ID: opts.aws.accessKeyId,
      AWS_SECRET_ACCESS_KEY: opts.aws.secretAccessKey,
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
    } as Record<string, string> as NodeJS.ProcessEnv,
  });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pid = child.pid!;
  await waitWorkers(child, opts.logFile);
  const exe = fs.readlinkSync(`/proc/${pid}/exe`);
  if (path.basename(exe) !== path.basename(opts.bin)) throw new Error(`pid ${pid} is ${exe}, not ESO`);
  return {
    pid,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await Promise.race([exited, sleep(10_000).then(() => child.kill("SIGKILL"))]);
      await exited;
    },
  };
}

/** ESO is up when controller-runtime has started the workers of its ExternalSecret and ClusterExternalSecret controllers (caches synced). */
async function waitWorkers(child: ChildProcess, logFile: string): Promise<void> {
  const started = Date.now();
  const want = ['"controller":"externalsecret"', '"controller":"clusterexternalsecret"'];
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ESO exited (${child.exitCode}); see ${logFile}`);
    if (Date.now() - started > 120_000) throw new Error(`ESO did not start its workers in 120 s; see ${logFile}`);
    const lines = fs
      .readFileSync(logFile, "utf8")
      .split("\n")
      .filter((l) => l.includes("Starting workers"));
    if (want.every((w) => lines.some((l) => l.includes(w)))) return;
    await sleep(200);
  }
}

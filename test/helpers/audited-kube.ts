import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppsV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";

/** One line of the API server's audit log (JSON lines, stage ResponseComplete unless a request failed early). */
export type AuditEvent = {
  stage: string;
  verb: string;
  user: { username: string };
  userAgent?: string;
  objectRef?: { resource?: string; namespace?: string; name?: string; apiGroup?: string };
  requestObject?: { imagePullSecrets?: Array<{ name: string }> };
  responseStatus?: { code?: number };
  requestReceivedTimestamp: string;
};

export const WRITE_VERBS: readonly string[] = ["create", "update", "patch", "delete", "deletecollection"];

export type AuditedKube = {
  dir: string;
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  /** Every ResponseComplete event so far, oldest first. */
  events: () => AuditEvent[];
  /**
   * A cluster-admin ServiceAccount `name` in `namespace` (created here) and a kubeconfig with its token, whose
   * context namespace is `home`: the audit log names its requests `system:serviceaccount:<namespace>:<name>`.
   */
  identity: (namespace: string, name: string, home: string) => Promise<{ username: string; kubeconfig: string }>;
  stop: () => void;
};

const root = path.resolve(import.meta.dirname, "../..");

/**
 * A kube-apiserver of the test's own (scripts/peers/kube-up.sh with KUBE_AUDIT_POLICY_FILE and KUBE_AUDIT_LOG)
 * that logs what `rules` (audit.k8s.io/v1 policy rules as YAML lines) select; anything else is not logged.
 */
export function startAuditedKube(prefix: string, rules: string[]): AuditedKube {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `regcred-${prefix}-`));
  const auditFile = path.join(dir, "audit.log");
  const policy = path.join(dir, "audit-policy.yaml");
  const lines = ["apiVersion: audit.k8s.io/v1", "kind: Policy", "omitStages: [RequestReceived]", "rules:", ...rules];
  fs.writeFileSync(policy, [...lines, "- level: None", ""].join("\n"));
  const { KUBE_PORT: _port, ETCD_PORT: _etcd, ...inherited } = process.env;
  execFileSync(path.join(root, "scripts/peers/kube-up.sh"), [dir], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...inherited, REGCRED_PEERS_QUIET: "1", KUBE_AUDIT_POLICY_FILE: policy, KUBE_AUDIT_LOG: auditFile },
    timeout: 180_000,
  });
  const kc = new KubeConfig();
  kc.loadFromFile(path.join(dir, "kube/admin.kubeconfig"));
  const core = kc.makeApiClient(CoreV1Api);
  const server = kc.getCurrentCluster()!.server;
  const caData = fs.readFileSync(path.join(dir, "kube/pki/ca.crt")).toString("base64");

  const identity: AuditedKube["identity"] = async (namespace, name, home) => {
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
    await kc.makeApiClient(RbacAuthorizationV1Api).createClusterRoleBinding({
      body: {
        metadata: { name: `${namespace}-${name}` },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
        subjects: [{ kind: "ServiceAccount", name, namespace }],
      },
    });
    const tr = await core.createNamespacedServiceAccountToken({
      name,
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    const kubeconfig = JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: { server, "certificate-authority-data": caData } }],
      users: [{ name, user: { token: tr.status!.token } }],
      contexts: [{ name: "c", context: { cluster: "c", user: name, namespace: home } }],
      "current-context": "c",
    });
    return { username: `system:serviceaccount:${namespace}:${name}`, kubeconfig };
  };

  return {
    dir,
    kc,
    core,
    apps: kc.makeApiClient(AppsV1Api),
    identity,
    events: () =>
      (fs.existsSync(auditFile) ? fs.readFileSync(auditFile, "utf8") : "")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditEvent)
        .filter((e) => e.stage === "ResponseComplete")
        .sort((a, b) => (a.requestReceivedTimestamp < b.requestReceivedTimestamp ? -1 : 1)),
    stop: () => {
      execFileSync(path.join(root, "scripts/peers/kube-down.sh"), [dir, "--purge"], {
        stdio: "ignore",
        timeout: 60_000,
      });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { createPrivateKey, X509Certificate } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  type V1Container,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaseNameFor } from "@/lib/controller/lease";
import { EVERY_NEED, type PermissionSelection, rbacRules } from "@/lib/clusters/permissions";
import { RBAC_FILE, renderChartRbac } from "@/scripts/gen-chart-rbac";
import { uniqueId } from "../helpers/db";
import { ensureKube } from "../helpers/kube";
import { CHART, find, type Helm, helmFor, parseManifests, type Rendered, root, setArgs } from "./helm-fixture";

// The chart against the run's kube-apiserver, each test in namespaces of its own. No kubelet, scheduler or controller-manager runs: Deployments never get Pods, so the tests assert the
// objects the API server holds, never running pods. The controller's least-privilege run is in
// helm-least-privilege.test.ts, the two controller processes in helm-controllers.test.ts.
let kube: { kc: KubeConfig; core: CoreV1Api; stop: () => void };
let helm: Helm;
let objects: KubernetesObjectApi;

beforeAll(() => {
  const started = ensureKube();
  const kc = new KubeConfig();
  kc.loadFromFile(started.env.KUBECONFIG_ADMIN);
  kube = { kc, core: kc.makeApiClient(CoreV1Api), stop: started.stop };
  helm = helmFor(started.env.KUBECONFIG_ADMIN);
  objects = KubernetesObjectApi.makeApiClient(kc);
}, 180_000);

afterAll(() => kube?.stop());

const HA = {
  "database.existingSecret": "regcred-db",
  "controller.enabled": true,
  "controller.replicas": 3,
  "dashboard.replicas": 2,
  "ingress.enabled": true,
  "metrics.existingSecret": "regcred-metrics",
  "admin.existingSecret": "regcred-admin",
};

function template(
  release: string,
  namespace: string,
  values: Record<string, string | number | boolean | string[]> = {},
) {
  return parseManifests(helm(["template", release, CHART, "-n", namespace, ...setArgs(values)]).stdout);
}

async function namespace(prefix: string): Promise<string> {
  const name = uniqueId(prefix).slice(0, 40);
  await kube.core.createNamespace({ body: { metadata: { name } } });
  return name;
}

async function exists(o: Rendered): Promise<boolean> {
  try {
    await objects.read({
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: { name: o.metadata!.name!, namespace: o.metadata?.namespace },
    });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return false;
    throw err;
  }
}

const containers = (objs: Rendered[]) =>
  objs
    .filter((o) => o.kind === "Deployment")
    .flatMap(
      (d) => (d as { spec: { template: { spec: { containers: V1Container[] } } } }).spec.template.spec.containers,
    );

const secretData = async (namespace: string, name: string) =>
  (await kube.core.readNamespacedSecret({ namespace, name })).data ?? {};

describe("helm chart", () => {
  it("[chart] helm lint passes for PGlite and PostgreSQL values; values the product cannot run with are refused naming the value", () => {
    expect(helm(["lint", "--strict", CHART]).code).toBe(0);
    expect(helm(["lint", "--strict", CHART, ...setArgs(HA)]).code).toBe(0);

    const refused = (values: Record<string, string | number | boolean | string[]>) =>
      helm(["template", "x", CHART, ...setArgs(values)], { allowFail: true });
    const controller = refused({ "controller.enabled": true });
    expect(controller.code).not.toBe(0);
    expect(controller.stderr).toContain("controller.enabled needs PostgreSQL: set database.existingSecret");
    expect(refused({ "dashboard.replicas": 2 }).stderr).toContain("dashboard.replicas > 1 needs PostgreSQL");
    expect(refused({ "rbac.wiring.modes": ["sidecar"] }).stderr).toContain("/rbac/wiring/modes/0");
    expect(refused({ "webhook.url": "http://regcred.example.com" }).stderr).toContain("/webhook/url");
  });

  it("[chart] files/rbac.json is rbacRules() of lib/clusters/permissions.ts, and the rendered roles are exactly its rules for rbac.wiring", async () => {
    expect(fs.readFileSync(RBAC_FILE, "utf8"), "run npx tsx scripts/gen-chart-rbac.ts").toBe(await renderChartRbac());
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
    expect(fs.readFileSync(path.join(CHART, "Chart.yaml"), "utf8")).toContain(`appVersion: "${pkg.version}"`);

    const cases: Array<[Record<string, string | boolean | string[]>, PermissionSelection]> = [
      [{}, { modes: ["serviceaccount"], restartStuckPods: false, cleanup: false }],
      [{ "rbac.wiring.modes": ["webhook"] }, { modes: ["webhook"], restartStuckPods: false, cleanup: false }],
      [
        { "rbac.wiring.modes": ["podtemplate"], "rbac.wiring.restartStuckPods": true },
        { modes: ["podtemplate"], restartStuckPods: true, cleanup: false },
      ],
      [
        {
          "rbac.wiring.modes": ["podtemplate", "serviceaccount", "webhook"],
          "rbac.wiring.restartStuckPods": true,
          "rbac.wiring.cleanup": true,
        },
        EVERY_NEED,
      ],
    ];
    for (const [values, selection] of cases) {
      const rendered = template("rc", "regcred", values);
      const expected = rbacRules(selection);
      expect(find(rendered, "ClusterRole").rules, JSON.stringify(values)).toEqual(expected.cluster);
      expect(find(rendered, "Role").rules, JSON.stringify(values)).toEqual(expected.home);
      expect(find(rendered, "Role").metadata?.namespace).toBe("regcred");
    }
  });

  it("[chart] helm template: the API server accepts every object (server-side dry-run), PGlite and PostgreSQL HA", async () => {
    const ns = await namespace("dry-run");
    for (const values of [{}, HA]) {
      const rendered = template("dry", ns, values);
      for (const o of rendered) await objects.create(o, undefined, "All");
      const kinds = rendered.map((o) => `${o.kind}/${o.metadata?.name}`).sort();
      if (values === HA) {
        expect(kinds).toEqual(
          [
            `ClusterRole/dry-regcred-${ns}`,
            `ClusterRoleBinding/dry-regcred-${ns}`,
            "Deployment/dry-regcred",
            "Deployment/dry-regcred-controller",
            "Ingress/dry-regcred",
            "PodDisruptionBudget/dry-regcred",
            "PodDisruptionBudget/dry-regcred-controller",
            "Role/dry-regcred-leases",
            "RoleBinding/dry-regcred-leases",
            "Secret/dry-regcred-encryption-key",
            "Secret/dry-regcred-webhook-ca",
            "Service/dry-regcred",
            "Service/dry-regcred-webhook",
            "ServiceAccount/dry-regcred",
          ].sort(),
        );
        const dashboard = find(rendered, "Deployment", "dry-regcred") as { spec: Record<string, unknown> };
        expect(dashboard.spec).toMatchObject({ replicas: 2, strategy: { type: "RollingUpdate" } });
        const env = containers([dashboard as Rendered])[0]!.env!;
        expect(env).toContainEqual({ name: "REGCRED_CONTROLLER", value: "off" });
        expect(env).toContainEqual({
          name: "DATABASE_URL",
          valueFrom: { secretKeyRef: { name: "regcred-db", key: "DATABASE_URL" } },
        });
        expect(find(rendered, "Deployment", "dry-regcred-controller")).toMatchObject({
          spec: { replicas: 3, template: { spec: { containers: [{ args: ["controller"] }] } } },
        });
      } else {
        expect(kinds).toContain("PersistentVolumeClaim/dry-regcred-data");
        expect(kinds.filter((k) => k.startsWith("PodDisruptionBudget") || k.includes("controller"))).toEqual([]);
        expect(find(rendered, "Deployment")).toMatchObject({ spec: { replicas: 1, strategy: { type: "Recreate" } } });
      }
      for (const c of containers(rendered)) {
        expect(c.securityContext).toEqual({
          runAsNonRoot: true,
          runAsUser: 10001,
          runAsGroup: 10001,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        });
        expect(c.volumeMounts?.map((m) => m.mountPath).sort()).toEqual(["/data", "/etc/regcred/webhook-ca", "/tmp"]);
        expect(c.resources?.requests).toBeDefined();
        expect(c.env).toContainEqual({
          name: "REGCRED_ENCRYPTION_KEY",
          valueFrom: { secretKeyRef: { name: "dry-regcred-encryption-key", key: "encryption-key" } },
        });
        expect(c.env).toContainEqual({ name: "REGCRED_WEBHOOK_CA_DIR", value: "/etc/regcred/webhook-ca" });
        expect(c.env).toContainEqual({
          name: "REGCRED_WEBHOOK_URL",
          value: `https://dry-regcred-webhook.${ns}.svc:443`,
        });
      }
      const dashboard = containers([find(rendered, "Deployment", "dry-regcred")])[0]!;
      expect(dashboard.livenessProbe?.httpGet?.path).toBe("/api/health");
      expect(dashboard.readinessProbe?.httpGet?.path).toBe("/api/ready");
      // The product registers one MutatingWebhookConfiguration per webhook-mode cluster itself: the chart adds none.
      expect(rendered.filter((o) => o.kind === "MutatingWebhookConfiguration")).toEqual([]);
    }
  });

  it("[chart] helm install creates every object with a random key and an ECDSA P-256 webhook CA; helm uninstall removes them but keeps the key, the CA and the data volume", async () => {
    const ns = await namespace("install");
    helm(["install", "ins", CHART, "-n", ns]);
    const manifest = parseManifests(helm(["get", "manifest", "ins", "-n", ns]).stdout);
    expect(manifest.map((o) => o.kind).sort()).toEqual([
      "ClusterRole",
      "ClusterRoleBinding",
      "Deployment",
      "PersistentVolumeClaim",
      "Role",
      "RoleBinding",
      "Secret",
      "Secret",
      "Service",
      "Service",
      "ServiceAccount",
    ]);
    for (const o of manifest) expect(await exists(o), `${o.kind}/${o.metadata?.name}`).toBe(true);

    const key = await secretData(ns, "ins-regcred-encryption-key");
    expect(Buffer.from(key["encryption-key"]!, "base64").toString()).toMatch(/^[0-9a-f]{64}$/);
    const ca = await kube.core.readNamespacedSecret({ namespace: ns, name: "ins-regcred-webhook-ca" });
    expect(ca.type).toBe("kubernetes.io/tls");
    const cert = new X509Certificate(Buffer.from(ca.data!["tls.crt"]!, "base64"));
    expect(cert.ca).toBe(true);
    expect(cert.subject).toContain("CN=regcred-webhook-ca");
    const caKey = createPrivateKey(Buffer.from(ca.data!["tls.key"]!, "base64"));
    expect(caKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(cert.checkPrivateKey(caKey)).toBe(true);

    // A second install (PostgreSQL HA values; helm applies them as Helm parses YAML) gets its own key.
    const other = await namespace("install-2");
    helm(["install", "ins", CHART, "-n", other, ...setArgs(HA)]);
    const ha = parseManifests(helm(["get", "manifest", "ins", "-n", other]).stdout);
    for (const o of ha) expect(await exists(o), `${o.kind}/${o.metadata?.name}`).toBe(true);
    expect((await secretData(other, "ins-regcred-encryption-key"))["encryption-key"]).not.toBe(key["encryption-key"]);

    expect(helm(["uninstall", "ins", "-n", ns]).stdout).toContain("ins-regcred-encryption-key");
    const kept = [
      "Secret/ins-regcred-encryption-key",
      "Secret/ins-regcred-webhook-ca",
      "PersistentVolumeClaim/ins-regcred-data",
    ];
    for (const o of manifest) {
      const id = `${o.kind}/${o.metadata?.name}`;
      expect(await exists(o), id).toBe(kept.includes(id));
    }
    // Installed again under the same name, it finds its key and CA and keeps them.
    helm(["install", "ins", CHART, "-n", ns]);
    expect(await secretData(ns, "ins-regcred-encryption-key")).toEqual(key);
    expect((await secretData(ns, "ins-regcred-webhook-ca"))["tls.key"]).toBe(ca.data!["tls.key"]);
  });

  it("[chart] helm upgrade from the previous chart version keeps the data volume, the key and CA Secrets and the Leases", async () => {
    const ns = await namespace("upgrade");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-chart-"));
    // No chart version was released before 0.1.0: the "previous version" is these templates packaged as 0.0.1.
    helm(["package", CHART, "--version", "0.0.1", "--app-version", "0.0.1", "-d", dir]);
    helm(["install", "up", path.join(dir, "regcred-0.0.1.tgz"), "-n", ns, ...setArgs({ logLevel: "debug" })]);
    const read = async () => ({
      key: await kube.core.readNamespacedSecret({ namespace: ns, name: "up-regcred-encryption-key" }),
      ca: await kube.core.readNamespacedSecret({ namespace: ns, name: "up-regcred-webhook-ca" }),
      pvc: await kube.core.readNamespacedPersistentVolumeClaim({ namespace: ns, name: "up-regcred-data" }),
    });
    const before = await read();
    // The Lease a running controller holds (the chart never renders Leases; an upgrade must not touch them).
    const coordination = kube.kc.makeApiClient(CoordinationV1Api);
    const lease = await coordination.createNamespacedLease({
      namespace: ns,
      body: {
        metadata: { name: leaseNameFor("abcdefghij", "3f6c1d2e-0000-4000-8000-000000000000") },
        spec: { holderIdentity: "up-regcred-6d9f-abcde", leaseDurationSeconds: 15, leaseTransitions: 3 },
      },
    });

    helm(["upgrade", "up", CHART, "-n", ns]);
    const after = await read();
    const dashboard = await objects.read({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "up-regcred", namespace: ns },
    });
    expect(dashboard.metadata?.labels?.["helm.sh/chart"]).toBe("regcred-0.1.0");
    for (const k of ["key", "ca"] as const) {
      expect(after[k].metadata?.uid).toBe(before[k].metadata?.uid);
      expect(after[k].data).toEqual(before[k].data);
    }
    expect(after.pvc.metadata?.uid).toBe(before.pvc.metadata?.uid);
    const leaseAfter = await coordination.readNamespacedLease({ namespace: ns, name: lease.metadata!.name! });
    expect(leaseAfter.metadata?.resourceVersion).toBe(lease.metadata?.resourceVersion);
    expect(leaseAfter.spec?.holderIdentity).toBe("up-regcred-6d9f-abcde");
    expect(helm(["history", "up", "-n", ns, "-o", "json"]).stdout).toContain('"chart":"regcred-0.1.0"');
  });
});

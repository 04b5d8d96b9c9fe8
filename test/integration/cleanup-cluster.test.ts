import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import {
  AdmissionregistrationV1Api,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaseNameFor } from "@/lib/controller/lease";
import { startController, stopController } from "@/lib/controller/runtime";
import { ensureInstallation } from "@/lib/installation/repo";
import { createRegistry } from "@/lib/registries/service";
import { updateCluster } from "@/lib/clusters/service";
import { pullSecretsAnnotationKey } from "@/lib/sync/ownership";
import { webhookConfigurationName } from "@/lib/webhook/configuration";
import { createKeyring } from "@/lib/crypto/secret-box";
import { backends } from "../helpers/db";
import { ensureKube } from "../helpers/kube";
import { createDeployment, eventually, type Fixture, pullSecretsOf, readSecret, testScope } from "./controller-fixture";

// scripts/cleanup-cluster.sh, the clean-up for after `helm uninstall`, against what a real controller pass wrote.
const root = path.resolve(import.meta.dirname, "../..");
let f: Fixture;

beforeAll(async () => {
  process.env.REGCRED_WEBHOOK_PORT = "0";
  process.env.REGCRED_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-cleanup-data-"));
  // On PostgreSQL (DATABASE_URL_TEST), which opens at once where PGlite's first open takes seconds.
  const started = ensureKube();
  const kc = new KubeConfig();
  kc.loadFromFile(started.env.KUBECONFIG_ADMIN);
  const database = await backends[1]!.open();
  f = {
    kube: started.env,
    stopKube: started.stop,
    adminText: fs.readFileSync(started.env.KUBECONFIG_ADMIN, "utf8"),
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    database,
    db: database.db,
    keyring: createKeyring(randomBytes(32)),
  };
});
afterAll(async () => {
  await stopController();
  await f?.database.close();
  f?.stopKube();
});

const cleanup = (...args: string[]) =>
  execFileSync(path.join(root, "scripts/cleanup-cluster.sh"), ["--kubeconfig", f.kube.KUBECONFIG_ADMIN, ...args], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });

describe("scripts/cleanup-cluster.sh", () => {
  it("[cleanup] removes the installation's pull secrets, its ServiceAccount entries, webhook registration and Leases; leaves everyone else's", async () => {
    const s = await testScope(f, "cleanup");
    const ns = await s.namespace("app");
    await createRegistry(s.ctx, {
      id: "priv",
      registry: "priv.example.com",
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    await createDeployment(f, ns, "web", "priv.example.com/team/web:1");
    // Someone else's entry on the ServiceAccount, and another installation's secret and record.
    const other = "zzotherins";
    const before = await f.core.readNamespacedServiceAccount({ namespace: ns, name: "default" });
    before.metadata!.annotations = { [pullSecretsAnnotationKey(other)]: JSON.stringify({ org: ["regcred-theirs"] }) };
    before.imagePullSecrets = [{ name: "team-secret" }, { name: "regcred-theirs" }];
    await f.core.replaceNamespacedServiceAccount({ namespace: ns, name: "default", body: before });

    await f.core.createNamespacedSecret({
      namespace: ns,
      body: {
        metadata: {
          name: "regcred-theirs",
          labels: {
            "app.kubernetes.io/managed-by": "regcred",
            "regcred.dev/registry": "theirs",
            "regcred.dev/installation": other,
          },
        },
        type: "kubernetes.io/dockerconfigjson",
        stringData: { ".dockerconfigjson": '{"auths":{}}' },
      },
    });
    // A second registration of the cluster, in webhook mode: Regcred registers a MutatingWebhookConfiguration for it.
    const w = await testScope(f, "cleanup-hook");
    await updateCluster(w.ctx, w.cluster.id, { wiring: "webhook" });
    const hooks = new KubeConfig();
    hooks.loadFromFile(f.kube.KUBECONFIG_ADMIN);
    const admission = hooks.makeApiClient(AdmissionregistrationV1Api);
    const hookName = webhookConfigurationName(w.cluster.id);
    await startController(f.db, f.keyring, {
      force: true,
      overrides: {
        instanceId: `cleanup-${s.label}`,
        clusterFilter: (row) => row.id === s.cluster.id || row.id === w.cluster.id,
        tickMs: 100,
        debounceMs: 100,
        pollMs: 250,
      },
    });
    await eventually(async () => (await pullSecretsOf(f, ns)).includes("regcred-priv"), "the ServiceAccount wired");
    await eventually(
      () => admission.readMutatingWebhookConfiguration({ name: hookName }).catch(() => null),
      "the webhook registered",
    );
    await stopController();
    const installation = await ensureInstallation(f.db);
    const leases = hooks.makeApiClient(CoordinationV1Api);
    const leaseName = leaseNameFor(installation, s.cluster.id);
    expect(await leases.readNamespacedLease({ namespace: s.home, name: leaseName })).toBeTruthy();

    expect(cleanup()).toMatch(new RegExp(`^  ${installation}: \\d+$`, "m"));
    const dry = cleanup("--installation", installation, "--dry-run");
    expect(dry).toContain("would remove 1 pull secret(s)");
    expect(await readSecret(f, ns, "regcred-priv")).not.toBeNull();

    const out = cleanup("--installation", installation);
    expect(out).toContain("removed 1 pull secret(s)");
    expect(out).toContain("removed 1 MutatingWebhookConfiguration(s)");
    expect(out).toContain("removed 2 Lease(s)");
    expect(await readSecret(f, ns, "regcred-priv")).toBeNull();
    expect(await readSecret(f, ns, "regcred-theirs")).not.toBeNull();
    const sa = await f.core.readNamespacedServiceAccount({ namespace: ns, name: "default" });
    expect((sa.imagePullSecrets ?? []).map((r) => r.name)).toEqual(["team-secret", "regcred-theirs"]);
    expect(Object.keys(sa.metadata?.annotations ?? {}).filter((k) => k.startsWith("regcred.dev/"))).toEqual([
      pullSecretsAnnotationKey(other),
    ]);
    await expect(admission.readMutatingWebhookConfiguration({ name: hookName })).rejects.toMatchObject({ code: 404 });
    await expect(leases.readNamespacedLease({ namespace: s.home, name: leaseName })).rejects.toMatchObject({
      code: 404,
    });
    // Nothing left: a second run removes nothing.
    expect(cleanup("--installation", installation)).toContain("removed 0 pull secret(s)");
  });

  it("[cleanup] refuses a malformed installation id and unknown arguments, with the usage", () => {
    const run = (...args: string[]) => {
      try {
        cleanup(...args);
        return { code: 0, stderr: "" };
      } catch (err) {
        const e = err as { status: number; stderr: string };
        return { code: e.status, stderr: String(e.stderr) };
      }
    };
    expect(run("--installation", "Not-An-Id")).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--installation takes an installation id"),
    });
    expect(run("--everything")).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown argument --everything"),
    });
  });
});

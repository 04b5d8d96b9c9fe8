import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { V1ContainerStatus } from "@kubernetes/client-node";
import { findClusterSync, recentRuns } from "@/lib/sync/repo";
import { stopController } from "@/lib/controller/runtime";
import { getSyncStatus, requestSync } from "@/lib/sync/service";
import { getCluster, updateCluster } from "@/lib/clusters/service";
import { AppError } from "@/lib/errors";
import { createRegistry } from "@/lib/registries/service";
import {
  createDeployment,
  eventually,
  type Fixture,
  openFixture,
  pullSecretsOf,
  readSecret,
  type TestScope,
  startTestController,
  testScope,
} from "./controller-fixture";

let f: Fixture;

beforeAll(async () => {
  f = await openFixture();
});
afterEach(async () => {
  await stopController();
});
afterAll(async () => {
  await f?.database.close();
  f?.stopKube();
});

async function run(scope: TestScope) {
  return (await startTestController(f, scope)).manager;
}

async function templatePullSecrets(namespace: string, name: string): Promise<string[]> {
  const d = await f.apps.readNamespacedDeployment({ namespace, name });
  return (d.spec?.template.spec?.imagePullSecrets ?? []).map((r) => r.name ?? "");
}

async function podExists(namespace: string, name: string): Promise<boolean> {
  try {
    await f.core.readNamespacedPod({ namespace, name });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return false;
    throw err;
  }
}

/** No kubelet runs against the test API server: the status subresource is written as a kubelet would. */
async function markImagePullBackOff(namespace: string, name: string, image: string): Promise<void> {
  const pod = await f.core.readNamespacedPod({ namespace, name });
  const status: V1ContainerStatus = {
    name: "app",
    image,
    imageID: "",
    ready: false,
    restartCount: 0,
    state: { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}"` } },
  };
  pod.status = { ...pod.status, phase: "Pending", containerStatuses: [status] };
  await f.core.replaceNamespacedPodStatus({ namespace, name, body: pod });
}

async function createPod(
  namespace: string,
  name: string,
  image: string,
  owner?: { name: string; uid: string },
): Promise<void> {
  const ownerReferences = owner
    ? [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: owner.name, uid: owner.uid, controller: true }]
    : undefined;
  await f.core.createNamespacedPod({
    namespace,
    body: { metadata: { name, ownerReferences }, spec: { containers: [{ name: "app", image }] } },
  });
  await markImagePullBackOff(namespace, name, image);
}

describe("controller wiring modes and stuck pods", () => {
  it("[wiring] the cluster API validates the settings; PATCH to podtemplate resyncs: the template gains the secret and the ServiceAccount loses it", async () => {
    const s = await testScope(f, "wire");
    const ns = await s.namespace("app");
    await createRegistry(s.ctx, {
      id: "priv",
      registry: "priv.example.com",
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    await createDeployment(f, ns, "web", "priv.example.com/team/web:1");
    expect(await getCluster(s.ctx, s.cluster.id)).toMatchObject({
      wiring: "serviceaccount",
      environment_label: null,
      restart_stuck_pods: false,
    });
    const manager = await run(s);
    await eventually(async () => (await pullSecretsOf(f, ns)).includes("regcred-priv"), "the ServiceAccount wired");
    expect(await templatePullSecrets(ns, "web")).toEqual([]);

    const bad = await updateCluster(s.ctx, s.cluster.id, {
      wiring: "sidecar",
      environment_label: "not a/valid/key!",
      restart_stuck_pods: "yes",
    }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).fields).toMatchObject({
      wiring: expect.stringContaining("serviceaccount"),
      environment_label: expect.any(String),
      restart_stuck_pods: "Restart stuck pods (restart_stuck_pods) must be true or false",
    });

    const updated = await updateCluster(s.ctx, s.cluster.id, {
      wiring: "podtemplate",
      environment_label: "example.com/env",
    });
    expect(updated).toMatchObject({
      wiring: "podtemplate",
      environment_label: "example.com/env",
      restart_stuck_pods: false,
    });
    expect((await findClusterSync(f.db, s.cluster.id))?.wiring).toBe("podtemplate");
    await eventually(
      async () => (await templatePullSecrets(ns, "web")).includes("regcred-priv"),
      "the pod template wired",
    );
    await eventually(
      async () => !(await pullSecretsOf(f, ns)).includes("regcred-priv"),
      "the ServiceAccount reference removed",
    );
    await manager.idle();
    expect(
      (await recentRuns(f.db, s.cluster.id)).some((r) => r.trigger === "settings" && r.status === "succeeded"),
    ).toBe(true);
    expect(await readSecret(f, ns, "regcred-priv")).not.toBeNull();

    // An unchanged setting queues nothing.
    const runsBefore = (await recentRuns(f.db, s.cluster.id, 50)).length;
    await updateCluster(s.ctx, s.cluster.id, { wiring: "podtemplate" });
    expect((await recentRuns(f.db, s.cluster.id, 50)).length).toBe(runsBefore);
  });

  it("[stuck] pods stuck in ImagePullBackOff before their secret existed are reported; controller-owned ones are restarted when enabled, bare ones only reported", async () => {
    const s = await testScope(f, "stuck");
    const ns = await s.namespace("app");
    const image = "priv.example.com/team/app:1";
    const rs = await f.apps.createNamespacedReplicaSet({
      namespace: ns,
      body: {
        metadata: { name: "web-1" },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: "web" } },
          template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image }] } },
        },
      },
    });
    await createPod(ns, "web-1-abcde", image, { name: "web-1", uid: rs.metadata!.uid! });
    await createPod(ns, "bare", image);
    await createPod(ns, "public", "docker.io/library/nginx:1");

    await createRegistry(s.ctx, {
      id: "priv",
      registry: "priv.example.com",
      type: "basic",
      creds: { username: "u", password: "p" },
    });
    await run(s);
    const reported = (await getSyncStatus(s.ctx, s.cluster.id)).namespaces.find((n) => n.namespace === ns)!;
    expect(reported.secrets).toEqual(["regcred-priv"]);
    expect(reported.stuck_pods).toEqual([
      { pod: "bare", container: "app", image, reason: "ImagePullBackOff", controlled: false, action: "reported" },
      { pod: "web-1-abcde", container: "app", image, reason: "ImagePullBackOff", controlled: true, action: "reported" },
    ]);
    expect(await podExists(ns, "web-1-abcde")).toBe(true);

    await updateCluster(s.ctx, s.cluster.id, { restart_stuck_pods: true });
    await eventually(async () => !(await podExists(ns, "web-1-abcde")), "the controller-owned pod deleted");
    const queued = await requestSync(s.ctx, s.cluster.id);
    const done = await eventually(async () => {
      const st = await getSyncStatus(s.ctx, s.cluster.id, queued.id);
      return st.run?.finished_at ? st : null;
    }, "a pass after the restart");
    expect(await podExists(ns, "bare")).toBe(true);
    const after = done.namespaces.find((n) => n.namespace === ns)!;
    expect(after.stuck_pods).toEqual([
      { pod: "bare", container: "app", image, reason: "ImagePullBackOff", controlled: false, action: "reported" },
    ]);
    expect(after.changes).toContainEqual(
      expect.objectContaining({ op: "restart-pod", target: "pod/web-1-abcde", ok: true }),
    );
  });
});

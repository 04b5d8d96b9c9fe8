import fs from "node:fs";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type KubeClient, type KubeRequestInfo } from "@/lib/integrations/kube";
import { admissionMethods, type AdmissionMethods } from "@/lib/integrations/kube/admission";
import { type KubeMethod, kubeCalls, requestCall } from "@/lib/integrations/kube/calls";
import { loadConfig, resultRunner } from "@/lib/integrations/kube/config";
import { rawSender } from "@/lib/integrations/kube/raw";
import { WORKLOAD_KINDS } from "@/lib/integrations/kube/resources";
import type { WatchKind } from "@/lib/integrations/kube/types";
import { uniqueId } from "../helpers/db";
import { ensureKube, type KubeEnv } from "../helpers/kube";

let kube: KubeEnv;
let stopKube = () => {};
let core: CoreV1Api;
let client: KubeClient;
let admission: AdmissionMethods;
let ns: string;
const requests: KubeRequestInfo[] = [];
const seen = new Map<string, Set<string>>();
const KINDS: WatchKind[] = ["Namespace", "Pod", "ServiceAccount", "Secret", ...WORKLOAD_KINDS.slice(1)];

beforeAll(async () => {
  const started = ensureKube();
  kube = started.env;
  stopKube = started.stop;
  const kc = new KubeConfig();
  kc.loadFromFile(kube.KUBECONFIG_ADMIN);
  core = kc.makeApiClient(CoreV1Api);
  const config = { kind: "kubeconfig" as const, kubeconfig: fs.readFileSync(kube.KUBECONFIG_ADMIN, "utf8") };
  const onRequest = (info: KubeRequestInfo) => void requests.push(info);
  client = connect(config, { onRequest });
  const loaded = loadConfig(config) as KubeConfig;
  admission = admissionMethods(rawSender(loaded, client.server, 10_000, onRequest), resultRunner(10_000));
  ns = uniqueId("calls").slice(0, 50);
  await core.createNamespace({ body: { metadata: { name: ns } } });
});

afterAll(async () => {
  await core?.deleteNamespace({ name: ns }).catch(() => undefined);
  stopKube();
});

const describeCall = (c: { verb: string; group: string; resource: string }) => `${c.verb} ${c.resource}.${c.group}`;

/** Runs `fn` and records, under `method`, the RBAC verb and resource of every request it sent. */
async function record(method: KubeMethod, fn: () => Promise<unknown>): Promise<void> {
  requests.length = 0;
  await fn();
  const calls = seen.get(method) ?? new Set<string>();
  for (const r of requests) {
    const call = requestCall(r.method, r.url);
    calls.add(call ? describeCall(call) : `non-resource ${new URL(r.url).pathname}`);
  }
  seen.set(method, calls);
}

async function untilSynced(i: { synced: boolean }): Promise<void> {
  for (let n = 0; !i.synced && n < 200; n++) await new Promise((r) => setTimeout(r, 50));
}

describe("kubeCalls: the requests each client method really sends", () => {
  it("matches the table for every method", async () => {
    const secret = { namespace: ns, name: "s", type: "Opaque", labels: {}, annotations: {}, data: {} };
    const lease = {
      namespace: ns,
      name: "l",
      holderIdentity: "me",
      leaseDurationSeconds: 15,
      acquireTime: null,
      renewTime: null,
      leaseTransitions: 0,
    };
    const hook = { name: `${ns}-hook`, labels: {}, webhooks: [] };
    await record("version", () => client.version());
    await record("whoAmI", () => client.whoAmI());
    await record("accessReview", () => client.accessReview({ verb: "get", group: "", resource: "secrets" }));
    await record("listNamespaces", () => client.listNamespaces());
    await record("listSecrets", () => client.listSecrets());
    await record("getSecret", () => client.getSecret(ns, "absent"));
    await record("listServiceAccounts", () => client.listServiceAccounts());
    await record("listWorkloads", () => client.listWorkloads());
    await record("createSecret", () => client.createSecret(secret));
    await record("replaceSecret", () => client.replaceSecret(secret));
    await record("annotateSecret", () => client.annotateSecret(ns, "s", { a: "b" }));
    await record("deleteSecret", () => client.deleteSecret(ns, "s"));
    await record("patchServiceAccountPullSecrets", () => client.patchServiceAccountPullSecrets(ns, "default", []));
    for (const kind of WORKLOAD_KINDS)
      await record("patchWorkloadPullSecrets", () => client.patchWorkloadPullSecrets(kind, ns, "absent", []));
    await record("deletePod", () => client.deletePod(ns, "absent"));
    await record("createLease", () => client.createLease(lease));
    await record("getLease", () => client.getLease(ns, "l"));
    await record("updateLease", async () => {
      const got = await client.getLease(ns, "l");
      requests.length = 0;
      await client.updateLease({ ...lease, resourceVersion: got.ok ? got.value.resourceVersion : null });
    });
    for (const kind of KINDS) {
      await record("collectionVersion", () => client.collectionVersion(kind));
      await record("watch", async () => {
        let connected = false;
        const w = client.watch(kind, {}, { onEvent: () => {}, onConnected: () => (connected = true) });
        await untilSynced({
          get synced() {
            return connected;
          },
        });
        w.stop();
      });
      await record("informer", async () => {
        const i = client.informer(kind, { map: (raw) => raw }, {});
        await untilSynced(i);
        i.stop();
      });
    }
    await record("createMutatingWebhookConfiguration", () => admission.createMutatingWebhookConfiguration(hook));
    await record("getMutatingWebhookConfiguration", () => admission.getMutatingWebhookConfiguration(hook.name));
    await record("replaceMutatingWebhookConfiguration", async () => {
      const got = await admission.getMutatingWebhookConfiguration(hook.name);
      requests.length = 0;
      await admission.replaceMutatingWebhookConfiguration(
        { ...hook, labels: { a: "b" } },
        { resourceVersion: got.ok ? got.value.resourceVersion : null },
      );
    });
    await record("applyMutatingWebhookConfiguration", () =>
      admission.applyMutatingWebhookConfiguration({ ...hook, labels: { a: "c" } }),
    );
    await record("deleteMutatingWebhookConfiguration", () => admission.deleteMutatingWebhookConfiguration(hook.name));
    await record("applyMutatingWebhookConfiguration", () => admission.applyMutatingWebhookConfiguration(hook));
    await admission.deleteMutatingWebhookConfiguration(hook.name);

    const actual = Object.fromEntries([...seen].map(([m, calls]) => [m, [...calls].sort()]));
    const table = Object.fromEntries(
      Object.entries(kubeCalls).map(([m, calls]) => [m, [...new Set(calls.map(describeCall))].sort()]),
    );
    expect(actual).toEqual({ ...table, version: ["non-resource /version"] });
  });
});

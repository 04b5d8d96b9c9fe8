/**
 * How many Kubernetes API requests one refresh of the secrets view sends, counted on the wire side
 * of the client (every HTTP request the KubeClient sends passes its onRequest hook), and how long it
 * takes, for 20 and then 200 namespaces that each hold regcred secrets, a ServiceAccount and a
 * Deployment referencing them.
 *
 *   npx tsx --conditions=react-server bench/secrets-view-requests.ts [--namespaces 200] [--keep]
 *
 * Uses the kube-apiserver named by KUBECONFIG_ADMIN, else starts one (scripts/peers/kube-up.sh).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { openDatabase } from "@/db/client";
import { connectionOf } from "@/lib/clusters/client";
import { createCluster } from "@/lib/clusters/service";
import { createKeyring } from "@/lib/crypto/secret-box";
import { connect } from "@/lib/integrations/kube";
import { createRegistry } from "@/lib/registries/service";
import type { Ctx } from "@/lib/context";
import { getSecretsView } from "@/lib/secrets/service";
import { formatExpiryLabel } from "@/lib/sync/labels";
import { actorFor, createOrg } from "@/test/helpers/db";
import { ensureKube } from "@/test/helpers/kube";
import { inBatches } from "./lib/batches";

const args = process.argv.slice(2);
const total = Number(args[args.indexOf("--namespaces") + 1] || 200) || 200;
const keep = args.includes("--keep");
const suffix = randomBytes(3).toString("hex");
const registryId = `bench-${suffix}`;
const b64 = (s: string) => Buffer.from(s).toString("base64");
const data = {
  ".dockerconfigjson": b64(
    JSON.stringify({
      auths: { "harbor.example.com": { username: "robot", password: "bench", auth: b64("robot:bench") } },
    }),
  ),
};

async function populate(core: CoreV1Api, apps: AppsV1Api, names: string[]): Promise<void> {
  const now = Date.now();
  await inBatches(names, 10, async (namespace) => {
    const i = Number(namespace.slice(-3));
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    // A spread of states: valid, expiring within the hour, expired; every tenth namespace also holds a foreign regcred-* secret.
    const expires = new Date(now + [30 * 86_400_000, 30 * 60_000, -3_600_000][i % 3]!);
    const labels = {
      "app.kubernetes.io/managed-by": "regcred",
      "regcred.dev/registry": registryId,
      "regcred.dev/expires": formatExpiryLabel(expires),
    };
    const secretName = `regcred-${registryId}`;
    await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: secretName, labels }, type: "kubernetes.io/dockerconfigjson", data },
    });
    if (i % 10 === 0)
      await core.createNamespacedSecret({
        namespace,
        body: { metadata: { name: "regcred-manual" }, type: "kubernetes.io/dockerconfigjson", data },
      });
    await core.createNamespacedServiceAccount({
      namespace,
      body: { metadata: { name: "app" }, imagePullSecrets: [{ name: secretName }] },
    });
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: "web" },
        spec: {
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: {
              imagePullSecrets: [{ name: secretName }],
              containers: [{ name: "web", image: "harbor.example.com/team/web:1" }],
            },
          },
        },
      },
    });
  });
}

async function measure(ctx: Ctx, keyring: Parameters<typeof connectionOf>[0], prefix: string, runs: number) {
  const samples: Array<{ requests: Map<string, number>; ms: number; rows: number }> = [];
  for (let run = 0; run < runs; run++) {
    const requests = new Map<string, number>();
    const t0 = performance.now();
    const view = await getSecretsView(
      ctx,
      {},
      {
        clientFor: (row, timeoutMs) =>
          connect(connectionOf(keyring, row), {
            timeoutMs,
            onRequest: ({ method, url }) => {
              const key = `${method} ${new URL(url).pathname}`;
              requests.set(key, (requests.get(key) ?? 0) + 1);
            },
          }),
      },
    );
    samples.push({
      requests,
      ms: performance.now() - t0,
      rows: view.secrets.filter((r) => r.namespace.startsWith(prefix)).length,
    });
  }
  const times = samples.map((s) => s.ms).sort((a, b) => a - b);
  const counts = samples.map((s) => [...s.requests.values()].reduce((a, b) => a + b, 0));
  return {
    first: samples[0]!,
    counts,
    medianMs: times[Math.floor(times.length / 2)]!,
    minMs: times[0]!,
    maxMs: times.at(-1)!,
  };
}

function report(label: string, m: Awaited<ReturnType<typeof measure>>): void {
  console.log(`\n${label}: ${m.first.rows} regcred secrets in the view`);
  for (const [path, n] of [...m.first.requests].sort()) console.log(`  ${String(n).padStart(3)}  ${path}`);
  console.log(`  requests per refresh: ${m.counts.join(", ")} (${m.counts.length} refreshes)`);
  console.log(
    `  time per refresh: median ${m.medianMs.toFixed(0)} ms, min ${m.minMs.toFixed(0)} ms, max ${m.maxMs.toFixed(0)} ms`,
  );
}

async function main(): Promise<void> {
  const kube = ensureKube();
  const kc = new KubeConfig();
  kc.loadFromFile(kube.env.KUBECONFIG_ADMIN);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const database = await openDatabase({});
  const keyring = createKeyring(randomBytes(32));
  const orgId = await createOrg(database.db, "bench");
  const ctx: Ctx = { db: database.db, keyring, actor: actorFor(orgId, "admin") };
  await createCluster(ctx, { name: "bench", kubeconfig: fs.readFileSync(kube.env.KUBECONFIG_ADMIN, "utf8") });
  await createRegistry(ctx, {
    id: registryId,
    registry: "harbor.example.com",
    type: "basic",
    creds: { username: "robot", password: "bench" },
  });

  const prefix = `bench-${suffix}-`;
  const names = Array.from({ length: total }, (_, i) => `${prefix}${String(i).padStart(3, "0")}`);
  const small = Math.min(20, total);
  const t0 = performance.now();
  await populate(core, apps, names.slice(0, small));
  report(`${small} namespaces`, await measure(ctx, keyring, prefix, 5));
  await populate(core, apps, names.slice(small));
  console.log(
    `\n(created ${total} namespaces with secrets, ServiceAccounts and Deployments in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  report(`${total} namespaces`, await measure(ctx, keyring, prefix, 5));

  if (!keep) {
    // Without a namespace controller, deleted namespaces keep their objects: remove those first.
    await inBatches(names, 10, async (namespace) => {
      await core.deleteCollectionNamespacedSecret({ namespace }).catch(() => {});
      await core.deleteCollectionNamespacedServiceAccount({ namespace }).catch(() => {});
      await apps.deleteCollectionNamespacedDeployment({ namespace }).catch(() => {});
      await core.deleteNamespace({ name: namespace }).catch(() => {});
    });
  }
  await database.close();
  kube.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

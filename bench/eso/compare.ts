// Regcred side by side with External Secrets Operator v0.16.2 on a kube-apiserver of the bench's own. Run:
//   bench/eso/compare.sh          (BENCH_SIZES=100,1000 by default)
// For each N and each case (copy: one central dockerconfigjson into N namespaces; ecr: an ECR token into N
// namespaces, moto behind it) it measures ESO at its default settings, ESO with --concurrent 8, and Regcred's
// controller on PGlite and on PostgreSQL: seconds until all N secrets are present, API requests (the API
// server's /metrics), GetAuthorizationToken calls (moto's recorder) and resident memory (/proc).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { apiServerAccess, loadAverage, requestCounts } from "@/bench/lib/apiserver-metrics";
import { startOwnKube } from "@/test/helpers/kube";
import { ensureMoto, setupEcrIdentities, startEcrTokenProxy } from "@/test/peers";
import {
  CENTRAL_NS,
  CENTRAL_SECRET,
  createClusterExternalSecret,
  installCrds,
  installStoreAndGenerator,
  startEso,
} from "./eso";
import { makeNamespaces, requestsSince, rssMb, secretsPresent, sleep } from "./kube";
import { motoMints, resetMotoRecording, startMotoFront } from "./moto-tls";
import { type Backend, COPY_HOST, deployments, ECR_HOST, openCaseDatabase, runRegcred, standaloneRss } from "./regcred";
import { printTable, type Row } from "./table";

const SIZES = (process.env.BENCH_SIZES ?? "100,1000").split(",").map(Number);
const ESO_BIN = process.env.ESO_BIN!;
const ESO_CRDS = process.env.ESO_CRDS!;
const SETTLE_MS = 3_000;
const CONTENDERS = (process.env.BENCH_CONTENDERS ?? "eso,regcred").split(",");
const TIMEOUT_MS = Number(process.env.BENCH_CASE_TIMEOUT_MS ?? 420_000);
const log = (s: string) => fs.writeSync(2, `[eso-bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

const work = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-eso-bench-"));
const kube = startOwnKube();
const stops: Array<() => Promise<void> | void> = [() => kube.stop()];
const rows: Row[] = [];
try {
  const kc = new KubeConfig();
  kc.loadFromFile(kube.env.KUBECONFIG_ADMIN);
  const access = apiServerAccess(kube.env as unknown as Record<string, string>);
  const moto = await ensureMoto();
  stops.push(() => moto.stop());
  const front = await startMotoFront(moto.url, work);
  stops.push(() => front.close());
  const tokenProxy = await startEcrTokenProxy({ target: moto.url });
  stops.push(() => tokenProxy.close());
  const esoKeys = (await setupEcrIdentities(moto.url)).ecrUser;
  const auth = Buffer.from("bench:not-a-real-password").toString("base64");
  const central = JSON.stringify({
    auths: { [COPY_HOST]: { username: "bench", password: "not-a-real-password", auth } },
  });
  log(`installed ${await installCrds(kc, ESO_CRDS)} ESO CRDs`);
  await installStoreAndGenerator(kc, kube.env, central);
  const core = kc.makeApiClient(CoreV1Api);

  const measure = async (
    label: string,
    target: string,
    namespaces: string[],
    go: () => Promise<{ t0: number; after?: () => Promise<void> }>,
    rss: () => number,
  ) => {
    await resetMotoRecording(moto.url);
    const watch = await secretsPresent(kc, target, namespaces, TIMEOUT_MS);
    const before = await requestCounts(access);
    const idleMb = rss();
    const { t0 } = await go();
    const tDone = await watch.done;
    const seconds = (tDone - t0) / 1000;
    const loadAtDone = loadAverage();
    await sleep(SETTLE_MS);
    const requests = await requestsSince(access, before, {
      ...watch.own,
      "POST clusterexternalsecrets": label.startsWith("eso") ? 1 : 0,
    });
    const mints = await motoMints(moto.url);
    return { seconds, loadAtDone, requests, mints, idleMb, heldMb: rss() };
  };

  // Regcred: its controller in this process; `warm` runs the same path once unmeasured (modules loaded and
  // compiled, as in a dashboard that is already running), like ESO, which is started and synced before its clock starts.
  const regcredCase = async (n: number, kind: "copy" | "ecr", backend: Backend, prefix: string, warm = false) => {
    const label = `${prefix}${backend === "pglite" ? "l" : "p"}-${kind}-${n}`;
    const registryId = `${kind}-bench`;
    const home = `${label}-home`;
    await core.createNamespace({ body: { metadata: { name: home } } });
    const namespaces = await makeNamespaces(kc, label, n);
    await deployments(kc, namespaces, kind === "copy" ? COPY_HOST : ECR_HOST);
    const ecrKeys = kind === "ecr" ? (await setupEcrIdentities(moto.url)).ecrUser : esoKeys;
    const { database, url } = await openCaseDatabase(backend, `eso_bench_${label.replace(/-/g, "_")}_${process.pid}`);
    let started: Awaited<ReturnType<typeof runRegcred>> | null = null;
    try {
      log(`${label}: Regcred on ${backend}; ${n} namespaces with a Deployment each`);
      const m = await measure(
        label,
        `regcred-${registryId}`,
        namespaces,
        async () => {
          started = await runRegcred(database, {
            kind,
            label,
            registryId,
            kubeconfigFile: kube.env.KUBECONFIG_ADMIN,
            homeNamespace: home,
            ecr: { ...ecrKeys, endpoint: tokenProxy.url },
            central: { namespace: CENTRAL_NS, secret: CENTRAL_SECRET },
          });
          return { t0: started.t0 };
        },
        () => process.memoryUsage().rss / 1024 / 1024,
      );
      const s = started!;
      await s.stop();
      started = null;
      let standalone: Row["standalone"];
      if (url && !warm) {
        const r = await standaloneRss({
          url,
          key: s.key,
          ecrEndpoint: tokenProxy.url,
          ctx: s.ctx,
          clusterId: s.clusterId,
          logFile: path.join(work, `${label}-standalone.log`),
          rss: rssMb,
        });
        standalone = { mb: r.heldMb, load: loadAverage() };
      }
      if (!warm)
        rows.push({
          n,
          kind,
          who: `Regcred ${backend}`,
          ...m,
          rssNote: "bench process (in-process controller)",
          standalone,
        });
      log(
        `${label}: ${m.seconds.toFixed(2)} s, ${m.requests.total} requests, ${m.mints} mints, ${m.heldMb.toFixed(0)} MB in-process${standalone ? `, ${standalone.mb.toFixed(0)} MB standalone` : ""}`,
      );
    } finally {
      await (started as { stop: () => Promise<void> } | null)?.stop();
      await database.close();
    }
  };
  if (CONTENDERS.includes("regcred")) await regcredCase(3, "copy", "pglite", "warm", true);

  for (const n of SIZES) {
    for (const kind of ["copy", "ecr"] as const) {
      // ESO: default settings, then --concurrent 8; a fresh process and fresh namespaces each time.
      for (const [setting, args] of CONTENDERS.includes("eso")
        ? ([
            ["default", []],
            ["--concurrent 8", ["--concurrent", "8"]],
          ] as const)
        : []) {
        const label = `eso${args.length ? "c8" : "d"}-${kind}-${n}`;
        const namespaces = await makeNamespaces(kc, label, n);
        const eso = await startEso({
          bin: ESO_BIN,
          kubeconfig: kube.env.KUBECONFIG_ADMIN,
          hostsFile: front.hostsFile,
          caFile: front.caFile,
          aws: esoKeys,
          extraArgs: [...args],
          logFile: path.join(work, `${label}.log`),
        });
        try {
          await sleep(2_000);
          log(`${label}: ESO ${setting} (pid ${eso.pid}) ready; ${n} namespaces`);
          const m = await measure(
            label,
            label,
            namespaces,
            async () => {
              const t0 = performance.now();
              await createClusterExternalSecret(kc, kind, label, label);
              return { t0 };
            },
            () => rssMb(eso.pid),
          );
          rows.push({ n, kind, who: `ESO ${setting}`, ...m, rssNote: "ESO process" });
          log(
            `${label}: ${m.seconds.toFixed(2)} s, ${m.requests.total} requests, ${m.mints} mints, ${m.heldMb.toFixed(0)} MB`,
          );
        } finally {
          await eso.stop();
        }
      }
      // Regcred: its controller in this process, on PGlite and on PostgreSQL.
      for (const backend of (CONTENDERS.includes("regcred") ? ["pglite", "postgresql"] : []) as Backend[]) {
        await regcredCase(n, kind, backend, "rc");
      }
    }
  }
} finally {
  for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {});
  fs.rmSync(work, { recursive: true, force: true });
}
printTable(rows, kube.env.KUBE_VERSION);
process.exit(0);

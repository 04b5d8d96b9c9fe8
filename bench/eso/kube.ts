// What both products are measured by: namespaces made for a case, a watch that sees their secrets arrive,
// requests counted at the API server's /metrics, resident memory read from /proc.
import fs from "node:fs";
import { CoreV1Api, type KubeConfig, Watch } from "@kubernetes/client-node";
import { type ApiServerAccess, requestCounts, requestDelta } from "@/bench/lib/apiserver-metrics";

export async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** N labelled namespaces (each with the `default` ServiceAccount no controller-manager creates here). */
export async function makeNamespaces(kc: KubeConfig, label: string, n: number): Promise<string[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const names = Array.from({ length: n }, (_, i) => `${label}-${i}`);
  await pool(names, 32, async (name) => {
    await core.createNamespace({ body: { metadata: { name, labels: { "eso-bench": label } } } });
    await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: "default" } } });
  });
  return names;
}

/**
 * Resolves with performance.now() when a secret named `name` exists in every one of `namespaces`. One LIST and
 * one WATCH of the bench's own (field selector on the name); `own` says how many requests that was, so they
 * can be taken off the API server's count.
 */
export async function secretsPresent(kc: KubeConfig, name: string, namespaces: readonly string[], timeoutMs: number) {
  const core = kc.makeApiClient(CoreV1Api);
  const wanted = new Set(namespaces);
  const seen = new Set<string>();
  const own = { "LIST secrets": 0, "WATCH secrets": 0 };
  let resolveDone!: (t: number) => void;
  let rejectDone!: (e: Error) => void;
  const done = new Promise<number>((res, rej) => ((resolveDone = res), (rejectDone = rej)));
  let abort: AbortController | null = null;
  let finished = false;
  const note = (ns: string | undefined) => {
    if (ns && wanted.has(ns)) seen.add(ns);
    if (!finished && seen.size === wanted.size) {
      finished = true;
      resolveDone(performance.now());
      abort?.abort();
    }
  };
  const start = async (): Promise<void> => {
    own["LIST secrets"] += 1;
    const list = await core.listSecretForAllNamespaces({ fieldSelector: `metadata.name=${name}` });
    for (const s of list.items) note(s.metadata?.namespace);
    if (finished) return;
    own["WATCH secrets"] += 1;
    abort = await new Watch(kc).watch(
      "/api/v1/secrets",
      {
        fieldSelector: `metadata.name=${name}`,
        resourceVersion: list.metadata?.resourceVersion,
        allowWatchBookmarks: false,
      },
      (phase, obj: { metadata?: { namespace?: string } }) => {
        if (phase === "ADDED" || phase === "MODIFIED") note(obj.metadata?.namespace);
      },
      () => {
        if (!finished) void start().catch((e: unknown) => rejectDone(e as Error));
      },
    );
  };
  const timer = setTimeout(() => {
    if (!finished) {
      finished = true;
      abort?.abort();
      rejectDone(new Error(`timed out: ${seen.size}/${wanted.size} secrets ${name} present`));
    }
  }, timeoutMs);
  await start();
  return {
    done: done.finally(() => clearTimeout(timer)),
    own,
    present: () => seen.size,
  };
}

/** Requests counted at the API server between two samples, less the bench's own. */
export async function requestsSince(a: ApiServerAccess, before: Map<string, number>, own: Record<string, number>) {
  const d = requestDelta(before, await requestCounts(a));
  let total = d.total;
  let lists = d.lists;
  let watches = d.watches;
  let writes = d.writes;
  for (const [k, v] of Object.entries(own)) {
    if (!d.byKey[k]) continue;
    const n = Math.min(v, d.byKey[k]);
    d.byKey[k] -= n;
    total -= n;
    if (k.startsWith("LIST ")) lists -= n;
    else if (k.startsWith("WATCH ")) watches -= n;
    else if (!k.startsWith("GET ")) writes -= n;
  }
  // The bench's /metrics scrapes are non-resource GETs: not the products' work.
  const scrapes = d.byKey["GET "] ?? 0;
  return { total: total - scrapes, lists, watches, writes, byKey: d.byKey };
}

/** Resident set size in MB of a process and its descendants (a wrapper script's children count too). */
export function rssMb(pid: number): number {
  const children = (p: number): number[] => {
    const out: number[] = [];
    for (const task of safeReaddir(`/proc/${p}/task`)) {
      const text = safeRead(`/proc/${p}/task/${task}/children`);
      for (const c of text.split(/\s+/).filter(Boolean)) out.push(Number(c), ...children(Number(c)));
    }
    return out;
  };
  let kb = 0;
  for (const p of [pid, ...children(pid)]) {
    const m = /VmRSS:\s+(\d+) kB/.exec(safeRead(`/proc/${p}/status`));
    if (m) kb += Number(m[1]);
  }
  return kb / 1024;
}

const safeRead = (f: string) => {
  try {
    return fs.readFileSync(f, "utf8");
  } catch {
    return "";
  }
};
const safeReaddir = (d: string) => {
  try {
    return fs.readdirSync(d);
  } catch {
    return [];
  }
};

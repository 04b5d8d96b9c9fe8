// Summarises a V8 .cpuprofile (as written by `node --cpu-prof`): where the samples taken inside given time windows
// went, bucketed by what ran (Next.js, Node's core, PGlite's WebAssembly Postgres, the app's own bundle, GC…).
// Windows are in microseconds of CLOCK_MONOTONIC, the clock both V8's profiler and process.hrtime() read.
import fs from "node:fs";

type ProfileNode = { id: number; callFrame: { url: string; functionName: string } };
type CpuProfile = { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };

export type Bucket = { bucket: string; share: number };

/** What a frame belongs to, by the file it comes from. */
function bucketOf(frame: ProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : "V8 builtins / native";
  if (url.startsWith("wasm://") || url.includes("@electric-sql/pglite"))
    return "PGlite (WebAssembly Postgres + its JS)";
  if (url.startsWith("node:")) return "Node.js core (http, streams, timers)";
  if (url.includes("/node_modules/next/")) return "Next.js (node_modules/next)";
  if (url.includes("/.next/server/")) return "app bundle (.next/server: Regcred code, drizzle, bundled libs)";
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  return pkg ? `package ${pkg}` : url;
}

/** Share of the samples in `windows` per bucket, largest first; `samples` is how many fell inside. */
export function summariseCpuProfile(
  file: string,
  windows: Array<[number, number]>,
): { samples: number; buckets: Bucket[] } {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const bucketById = new Map(profile.nodes.map((n) => [n.id, bucketOf(n.callFrame)]));
  const counts = new Map<string, number>();
  let t = profile.startTime;
  let inside = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (!windows.some(([from, to]) => t >= from && t <= to)) return;
    inside++;
    const b = bucketById.get(id) ?? "unknown";
    counts.set(b, (counts.get(b) ?? 0) + 1);
  });
  const buckets = [...counts.entries()]
    .map(([bucket, n]) => ({ bucket, share: n / Math.max(inside, 1) }))
    .sort((a, b) => b.share - a.share);
  return { samples: inside, buckets };
}

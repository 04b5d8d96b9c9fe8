// Summarises a V8 .heapsnapshot (as written by `--heapsnapshot-signal`): self size by object kind, largest first,
// and the process's resident memory split as /proc/<pid>/smaps_rollup reports it. For reading where memory goes.
import fs from "node:fs";

type Snapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
};

export type HeapRow = { kind: string; count: number; bytes: number };

/** Self size grouped by constructor name (objects, closures) or node type (strings, code, arrays…). */
export function summariseHeapSnapshot(file: string, top = 15): { total: number; rows: HeapRow[] } {
  const snap = JSON.parse(fs.readFileSync(file, "utf8")) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const groups = new Map<string, HeapRow>();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const bytes = snap.nodes[i + sizeAt]!;
    total += bytes;
    const kind = type === "object" || type === "closure" ? `${type} ${snap.strings[snap.nodes[i + nameAt]!]}` : type;
    const row = groups.get(kind) ?? { kind, count: 0, bytes: 0 };
    row.count++;
    row.bytes += bytes;
    groups.set(kind, row);
  }
  return { total, rows: [...groups.values()].sort((a, b) => b.bytes - a.bytes).slice(0, top) };
}

/** Resident memory by kind (kB fields of smaps_rollup: Rss, Anonymous, file-backed = Rss − Anonymous). */
export function residentSplit(pid: number): { rssMb: number; anonMb: number; fileMb: number } {
  const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
  const rss = kb("Rss") / 1024;
  const anon = kb("Anonymous") / 1024;
  return { rssMb: rss, anonMb: anon, fileMb: rss - anon };
}

/** The largest resident mappings (WebAssembly memories show as one big anonymous mapping each; V8's heap as many small ones). */
export function largestMappings(pid: number, top = 5): Array<{ mapping: string; rssMb: number }> {
  const out: Array<{ mapping: string; rssMb: number }> = [];
  let current = "";
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) {
      const [range, , , , , ...rest] = line.split(/\s+/);
      const [lo, hi] = range!.split("-").map((h) => parseInt(h, 16));
      current = `${rest.join(" ") || "[anon]"} (${((hi! - lo!) / 1048576).toFixed(0)} MB mapped)`;
    } else if (line.startsWith("Rss:")) {
      out.push({ mapping: current, rssMb: Number(/(\d+) kB/.exec(line)![1]) / 1024 });
    }
  }
  return out.sort((a, b) => b.rssMb - a.rssMb).slice(0, top);
}

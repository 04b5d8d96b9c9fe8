// Requests as the kube-apiserver itself counts them (`apiserver_request_total` on its /metrics), so a bench
// never trusts the product's own counters. Read with the admin client certificate of the test API server.
import fs from "node:fs";
import https from "node:https";
import os from "node:os";

export type ApiServerAccess = { url: string; caFile: string; certFile: string; keyFile: string };

/** Access to the API server of a peers env file (scripts/peers/kube-up.sh writes KUBE_* there). */
export function apiServerAccess(env: Record<string, string | undefined>): ApiServerAccess {
  const need = (k: string) => {
    const v = env[k];
    if (!v) throw new Error(`${k} is not set (source the peers' env file)`);
    return v;
  };
  return {
    url: need("KUBE_API_URL"),
    caFile: need("KUBE_CA_FILE"),
    certFile: need("KUBE_ADMIN_CERT_FILE"),
    keyFile: need("KUBE_ADMIN_KEY_FILE"),
  };
}

/** One sample of `apiserver_request_total`: counter values keyed by `VERB resource` (subresource appended as `/sub`). */
export type RequestCounts = Map<string, number>;

function fetchText(a: ApiServerAccess, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${a.url}${path}`,
      {
        ca: fs.readFileSync(a.caFile),
        cert: fs.readFileSync(a.certFile),
        key: fs.readFileSync(a.keyFile),
        agent: false,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () =>
          res.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${path}: HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
  });
}

function labelsOf(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

/** Counts every request the API server has answered since it started, by verb and resource. */
export async function requestCounts(a: ApiServerAccess): Promise<RequestCounts> {
  const text = await fetchText(a, "/metrics");
  const out: RequestCounts = new Map();
  for (const line of text.split("\n")) {
    if (!line.startsWith("apiserver_request_total{")) continue;
    const close = line.lastIndexOf("}");
    const l = labelsOf(line.slice("apiserver_request_total{".length, close));
    const value = Number(line.slice(close + 1).trim());
    const key = `${l.verb} ${l.resource ?? ""}${l.subresource ? `/${l.subresource}` : ""}`;
    out.set(key, (out.get(key) ?? 0) + value);
  }
  return out;
}

/** What happened between two samples: per key, and totals (WATCH counts connections, LIST counts LISTs). */
export function requestDelta(before: RequestCounts, after: RequestCounts) {
  const byKey: Record<string, number> = {};
  let total = 0;
  let lists = 0;
  let watches = 0;
  let writes = 0;
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0);
    if (d <= 0) continue;
    byKey[k] = d;
    total += d;
    const verb = k.split(" ")[0];
    if (verb === "LIST") lists += d;
    else if (verb === "WATCH") watches += d;
    else if (verb !== "GET") writes += d;
  }
  return { total, lists, watches, writes, byKey };
}

/** The machine's load average, printed beside every figure (figures on a loaded 2-core machine are pessimistic). */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
}

/** p-th percentile (0–100) of a list of numbers, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

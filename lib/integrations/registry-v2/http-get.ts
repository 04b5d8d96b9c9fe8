import "server-only";
import { lookup } from "node:dns/promises";
import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import { chooseEgressTarget, type EgressPolicy } from "../../net/egress";
import { configuredEgressPolicy } from "../../net/egress-policy";
import { certificateBlocks, parseCertificates } from "../../crypto/pem";
import { fail, type Failure, ok, type Result } from "../../result";
import { describeNetFailure, type NetPhase, PhaseTimeout } from "./failures";

export type PhaseRecord = { phase: NetPhase; ok: boolean; ms: number; detail: string };
export type HttpGetResponse = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  phases: PhaseRecord[];
};
export type HttpGetOptions = {
  /** GET by default; a HEAD answer has no body */
  method?: "GET" | "HEAD";
  headers?: Record<string, string>;
  ca?: string | null;
  timeoutMs: number;
  /** where the request may connect; the operator's (REGCRED_EGRESS_*) when omitted */
  egress?: EgressPolicy;
};

const maxBodyBytes = 64 * 1024;

/** A GET that failed in one phase: `kind` is that phase, `message` says why, `phases` ends with it. */
export type HttpGetFailure = Failure<NetPhase> & { ms: number; phases: PhaseRecord[] };

/** Ends the request at the phase just recorded as failed; caught in httpGet, never escapes it. */
class PhaseFailed extends Error {}

function withTimer<T>(
  timeoutMs: number,
  run: (resolve: (v: T) => void, reject: (e: unknown) => void) => () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let cleanup = () => {};
    const timer = setTimeout(() => {
      cleanup();
      reject(new PhaseTimeout(timeoutMs));
    }, timeoutMs);
    const done = (fn: () => void) => {
      clearTimeout(timer);
      fn();
    };
    try {
      cleanup = run(
        (v) => done(() => resolve(v)),
        (e) => done(() => reject(e)),
      );
    } catch (err) {
      done(() => reject(err));
    }
  });
}

/** Every address of `host` in resolver order (the host itself when it is an IP address). */
async function resolveHost(host: string, timeoutMs: number): Promise<string[]> {
  if (net.isIP(host)) return [host];
  return withTimer(timeoutMs, (resolve, reject) => {
    lookup(host, { all: true }).then((all) => resolve(all.map((a) => a.address)), reject);
    return () => {};
  });
}

function connected(target: string, refused: ReadonlyArray<{ ok: boolean; reason?: string }>): string {
  const skipped = refused.flatMap((d) => (d.reason ? [d.reason] : []));
  return skipped.length
    ? `TCP connection to ${target} (skipped by the egress policy: ${skipped.join("; ")})`
    : `TCP connection to ${target}`;
}

function describeResolved(host: string, addresses: string[]): string {
  if (addresses.length === 1 && addresses[0] === host) return `${host} is an IP address`;
  return `${host} resolved to ${addresses.join(", ")}`;
}

function connectTcp(address: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return withTimer(timeoutMs, (resolve, reject) => {
    const socket = net.connect({ host: address, port });
    socket.on("error", () => {});
    socket.once("connect", () => resolve(socket));
    socket.once("error", (err) => {
      socket.destroy();
      reject(err);
    });
    return () => socket.destroy();
  });
}

function secureContextFor(ca: string | null | undefined): tls.SecureContext | undefined {
  if (!ca) return undefined;
  try {
    // OpenSSL skips PEM blocks it cannot read, so a broken CA would surface later as "unknown authority".
    const blocks = certificateBlocks(ca);
    if (blocks.length === 0 || !parseCertificates(ca)) throw new Error("no readable certificate");
    return tls.createSecureContext({ ca: [...tls.rootCertificates, ...blocks] });
  } catch (err) {
    throw Object.assign(new Error("bad CA", { cause: err }), { code: "REGCRED_BAD_CA" });
  }
}

function tlsHandshake(
  socket: net.Socket,
  host: string,
  ca: string | null | undefined,
  timeoutMs: number,
): Promise<tls.TLSSocket> {
  return withTimer(timeoutMs, (resolve, reject) => {
    const secureContext = secureContextFor(ca);
    const t = tls.connect({
      socket,
      host,
      servername: net.isIP(host) ? undefined : host,
      secureContext,
      ALPNProtocols: ["http/1.1"],
    });
    t.on("error", () => {});
    t.once("secureConnect", () => resolve(t));
    t.once("error", (err) => {
      t.destroy();
      reject(err);
    });
    return () => t.destroy();
  });
}

function issuerOf(t: tls.TLSSocket): string {
  const issuer = t.getPeerCertificate()?.issuer as Record<string, string | string[]> | undefined;
  const cn = issuer?.CN ?? issuer?.O;
  return Array.isArray(cn) ? (cn[0] ?? "unknown issuer") : (cn ?? "unknown issuer");
}

function sendRequest(stream: Duplex, url: URL, opts: HttpGetOptions): Promise<Omit<HttpGetResponse, "phases">> {
  const headers = opts.headers ?? {};
  return withTimer(opts.timeoutMs, (resolve, reject) => {
    const req = http.request({
      method: opts.method ?? "GET",
      path: `${url.pathname}${url.search}`,
      headers: {
        host: url.host,
        "user-agent": "regcred-credential-check",
        accept: "application/json",
        connection: "close",
        ...headers,
      },
      createConnection: () => stream as net.Socket,
    });
    req.once("error", reject);
    req.once("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.on("data", (chunk: Buffer) => {
        if (size >= maxBodyBytes) return void res.destroy();
        chunks.push(chunk.subarray(0, maxBodyBytes - size));
        size += chunk.length;
      });
      res.once("end", finish);
      res.once("close", finish);
      res.once("error", finish);
    });
    req.end();
    return () => req.destroy();
  });
}

async function phase<T>(
  phases: PhaseRecord[],
  name: NetPhase,
  names: { host: string; target: () => string },
  run: () => Promise<T>,
  ok: (v: T) => string,
): Promise<T> {
  const t0 = performance.now();
  try {
    const v = await run();
    phases.push({ phase: name, ok: true, ms: Math.round(performance.now() - t0), detail: ok(v) });
    return v;
  } catch (err) {
    phases.push({
      phase: name,
      ok: false,
      ms: Math.round(performance.now() - t0),
      detail: describeNetFailure(name, err, names.host, names.target()),
    });
    throw new PhaseFailed();
  }
}

/** GET (or HEAD) over node:net/tls/http with a timeout and a timing per phase; a failure names the phase it failed in. */
export async function httpGet(url: URL, opts: HttpGetOptions): Promise<Result<HttpGetResponse, HttpGetFailure>> {
  const phases: PhaseRecord[] = [];
  try {
    return ok(await get(url, opts, phases));
  } catch (err) {
    if (!(err instanceof PhaseFailed)) throw err;
    const failed = phases[phases.length - 1]!;
    return fail({ kind: failed.phase, message: failed.detail, ms: failed.ms, phases });
  }
}

async function get(url: URL, opts: HttpGetOptions, phases: PhaseRecord[]): Promise<HttpGetResponse> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const secure = url.protocol === "https:";
  const port = Number(url.port) || (secure ? 443 : 80);
  let target = `${url.hostname}:${port}`;
  const names = { host, target: () => target };
  const addresses = await phase(
    phases,
    "dns",
    names,
    () => resolveHost(host, opts.timeoutMs),
    (a) => describeResolved(host, a),
  );
  // The connection goes to the address that passed, never to a second lookup of the name.
  const resolved = chooseEgressTarget(host, addresses, opts.egress ?? configuredEgressPolicy());
  if (!resolved.ok) {
    phases.push({ phase: "policy", ok: false, ms: 0, detail: resolved.detail });
    throw new PhaseFailed();
  }
  target = resolved.family === 6 ? `[${resolved.address}]:${port}` : `${resolved.address}:${port}`;
  const socket = await phase(
    phases,
    "connect",
    names,
    () => connectTcp(resolved.address, port, opts.timeoutMs),
    () => connected(target, resolved.refused),
  );
  let stream: Duplex = socket;
  try {
    if (secure) {
      stream = await phase(
        phases,
        "tls",
        names,
        () => tlsHandshake(socket, host, opts.ca, opts.timeoutMs),
        (t) => `${t.getProtocol() ?? "TLS"} with ${host}, certificate issued by ${issuerOf(t)}`,
      );
    }
    const res = await phase(
      phases,
      "http",
      names,
      () => sendRequest(stream, url, opts),
      (r) => `${opts.method ?? "GET"} ${url.pathname} answered ${r.status}`,
    );
    return { ...res, phases };
  } finally {
    stream.destroy();
    socket.destroy();
  }
}

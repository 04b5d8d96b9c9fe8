/** The network phases of one HTTP(S) request, in order; `policy` refuses the resolved address before connecting. */
export type NetPhase = "dns" | "policy" | "connect" | "tls" | "http";

/** Raised by our own per-phase timers. */
export class PhaseTimeout extends Error {
  readonly code = "REGCRED_TIMEOUT";
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

type ErrLike = {
  code?: unknown;
  message?: unknown;
  reason?: unknown;
  cert?: { subjectaltname?: unknown; valid_to?: unknown; valid_from?: unknown };
};

function codeOf(err: unknown): string {
  const code = (err as ErrLike | null)?.code;
  return typeof code === "string" ? code : "";
}

const unknownAuthority = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);

/** "DNS:a.example, IP Address:127.0.0.1" → "a.example, 127.0.0.1" */
function certNames(err: ErrLike): string | null {
  const san = err.cert?.subjectaltname;
  if (typeof san !== "string" || !san) return null;
  return san
    .split(/,\s*/)
    .map((n) => n.replace(/^(DNS|IP Address):/, ""))
    .join(", ");
}

function describeDns(code: string, host: string, err: unknown): string {
  if (code === "ENOTFOUND") return `no such host ${host}`;
  if (code === "EAI_AGAIN") return `temporary failure resolving ${host}`;
  if (err instanceof PhaseTimeout) return `timed out after ${err.timeoutMs} ms resolving ${host}`;
  return `could not resolve ${host}${code ? ` (${code})` : ""}`;
}

function describeConnect(code: string, target: string, err: unknown): string {
  if (code === "ECONNREFUSED") return `connection refused to ${target}`;
  if (err instanceof PhaseTimeout || code === "ETIMEDOUT")
    return `timed out${err instanceof PhaseTimeout ? ` after ${err.timeoutMs} ms` : ""} connecting to ${target}`;
  if (code === "EHOSTUNREACH") return `no route to host ${target}`;
  if (code === "ENETUNREACH") return `network unreachable for ${target}`;
  if (code === "ECONNRESET") return `connection reset by ${target}`;
  return `could not connect to ${target}${code ? ` (${code})` : ""}`;
}

function describeTls(code: string, host: string, err: unknown): string {
  const e = (err ?? {}) as ErrLike;
  if (unknownAuthority.has(code)) {
    return `certificate signed by an unknown authority${code === "DEPTH_ZERO_SELF_SIGNED_CERT" ? " (self-signed)" : ""}; give the registry's CA certificate`;
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    const names = certNames(e);
    return names ? `certificate is valid for ${names}, not ${host}` : `certificate is not valid for ${host}`;
  }
  if (code === "CERT_HAS_EXPIRED")
    return `certificate has expired${typeof e.cert?.valid_to === "string" ? ` (not after ${e.cert.valid_to})` : ""}`;
  if (code === "CERT_NOT_YET_VALID") return "certificate is not yet valid";
  if (code === "REGCRED_BAD_CA") return "the configured CA certificate could not be loaded (is it a PEM certificate?)";
  const message = typeof e.message === "string" ? e.message : "";
  if (
    code === "ERR_SSL_WRONG_VERSION_NUMBER" ||
    /wrong version number|packet length too long|unexpected eof/i.test(message)
  ) {
    return `${host} did not answer with TLS (a plain-HTTP registry?)`;
  }
  if (err instanceof PhaseTimeout) return `TLS handshake timed out after ${err.timeoutMs} ms`;
  if (code === "ECONNRESET") return "connection reset during the TLS handshake";
  return `TLS handshake failed${code ? ` (${code})` : ""}`;
}

function describeHttp(code: string, target: string, err: unknown): string {
  if (err instanceof PhaseTimeout) return `no HTTP response from ${target} within ${err.timeoutMs} ms`;
  if (code.startsWith("HPE_")) return `invalid HTTP response from ${target} (${code})`;
  if (code === "ECONNRESET" || code === "EPIPE") return `connection closed by ${target} before a response`;
  return `HTTP request to ${target} failed${code ? ` (${code})` : ""}`;
}

/**
 * One sentence for a failed phase. `host` is the name asked for, `target` the address:port tried.
 * Built from error codes only: Node messages can carry request details.
 */
export function describeNetFailure(phase: NetPhase, err: unknown, host: string, target: string): string {
  const code = codeOf(err);
  switch (phase) {
    case "dns":
      return describeDns(code, host, err);
    case "connect":
      return describeConnect(code, target, err);
    case "tls":
      return describeTls(code, host, err);
    case "http":
      return describeHttp(code, target, err);
    case "policy":
      return `the egress policy refuses ${target}`;
  }
}

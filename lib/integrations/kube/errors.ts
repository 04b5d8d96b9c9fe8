import "server-only";
import type { KubeError, KubeErrorKind } from "./types";
import { parseJsonOrNull } from "../../json";
import { describeError, log } from "../../log";

const networkCodes: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "DNS lookup failed",
  EAI_AGAIN: "DNS lookup failed",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_HEADERS_TIMEOUT: "no response in time",
  UND_ERR_SOCKET: "connection closed",
  EPROTO: "TLS handshake failed",
  ENOENT: "a credential file is missing",
  DEPTH_ZERO_SELF_SIGNED_CERT: "TLS: self-signed certificate not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "TLS: certificate chain not trusted (wrong certificate-authority-data?)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS: certificate not trusted (wrong certificate-authority-data?)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "TLS: certificate not trusted (wrong certificate-authority-data?)",
  CERT_HAS_EXPIRED: "TLS: server certificate expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS: server certificate does not match the host name",
  ERR_SSL_WRONG_VERSION_NUMBER: "TLS handshake failed (is the server plain HTTP?)",
};

function statusKind(status: number): KubeErrorKind {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not-found";
  if (status === 409) return "conflict";
  if (status >= 500 || status === 429) return "unreachable";
  return "invalid";
}

function statusMessage(body: unknown): string | null {
  const parsed = typeof body === "string" ? parseJsonOrNull(body) : body;
  const message = (parsed as { message?: unknown } | null)?.message;
  return typeof message === "string" && message ? message.slice(0, 300) : null;
}

function causeCode(err: unknown): string | null {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** Maps anything the client library throws to a value; SDK messages are not passed through (they can echo requests). */
export function toKubeError(err: unknown, timeoutMs: number): KubeError {
  const e = err as { name?: string; code?: unknown; body?: unknown };
  if (typeof e?.code === "number" && e.code >= 100) {
    const kind = statusKind(e.code);
    const detail = statusMessage(e.body);
    return { kind, status: e.code, message: detail ? `HTTP ${e.code}: ${detail}` : `HTTP ${e.code}` };
  }
  if (e?.name === "TimeoutError" || e?.name === "AbortError")
    return { kind: "unreachable", message: `no answer within ${timeoutMs} ms` };
  const code = causeCode(err);
  if (code && networkCodes[code]) return { kind: "unreachable", message: networkCodes[code]! };
  if (code?.startsWith("ERR_TLS") || code?.startsWith("ERR_SSL") || code?.includes("CERT"))
    return { kind: "unreachable", message: `TLS error (${code})` };
  if (code) return { kind: "unreachable", message: `network error (${code})` };
  log.warn("a Kubernetes request failed in a way not recognised", describeError(err));
  return { kind: "unreachable", message: "request failed" };
}

import { describe, expect, it } from "vitest";
import { describeNetFailure, type NetPhase, PhaseTimeout } from "./failures";

const err = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`boom ${code} secret-in-message`), { code, ...extra });

const cases: Array<[NetPhase, unknown, string]> = [
  ["dns", err("ENOTFOUND"), "no such host nonexistent.invalid"],
  ["dns", err("EAI_AGAIN"), "temporary failure resolving nonexistent.invalid"],
  ["dns", new PhaseTimeout(10_000), "timed out after 10000 ms resolving nonexistent.invalid"],
  ["connect", err("ECONNREFUSED"), "connection refused to 127.0.0.1:5999"],
  ["connect", new PhaseTimeout(250), "timed out after 250 ms connecting to 127.0.0.1:5999"],
  ["connect", err("ETIMEDOUT"), "timed out connecting to 127.0.0.1:5999"],
  ["connect", err("EHOSTUNREACH"), "no route to host 127.0.0.1:5999"],
  [
    "tls",
    err("UNABLE_TO_VERIFY_LEAF_SIGNATURE"),
    "certificate signed by an unknown authority; give the registry's CA certificate",
  ],
  [
    "tls",
    err("SELF_SIGNED_CERT_IN_CHAIN"),
    "certificate signed by an unknown authority; give the registry's CA certificate",
  ],
  [
    "tls",
    err("DEPTH_ZERO_SELF_SIGNED_CERT"),
    "certificate signed by an unknown authority (self-signed); give the registry's CA certificate",
  ],
  [
    "tls",
    err("ERR_TLS_CERT_ALTNAME_INVALID", { cert: { subjectaltname: "DNS:wrong.example, IP Address:10.0.0.1" } }),
    "certificate is valid for wrong.example, 10.0.0.1, not nonexistent.invalid",
  ],
  ["tls", err("ERR_TLS_CERT_ALTNAME_INVALID"), "certificate is not valid for nonexistent.invalid"],
  [
    "tls",
    err("CERT_HAS_EXPIRED", { cert: { valid_to: "Jan  1 00:00:00 2020 GMT" } }),
    "certificate has expired (not after Jan  1 00:00:00 2020 GMT)",
  ],
  ["tls", err("ERR_SSL_WRONG_VERSION_NUMBER"), "nonexistent.invalid did not answer with TLS (a plain-HTTP registry?)"],
  ["tls", err("REGCRED_BAD_CA"), "the configured CA certificate could not be loaded (is it a PEM certificate?)"],
  ["tls", new PhaseTimeout(100), "TLS handshake timed out after 100 ms"],
  ["tls", err("ERR_SOMETHING_ELSE"), "TLS handshake failed (ERR_SOMETHING_ELSE)"],
  ["http", new PhaseTimeout(100), "no HTTP response from 127.0.0.1:5999 within 100 ms"],
  ["http", err("HPE_INVALID_CONSTANT"), "invalid HTTP response from 127.0.0.1:5999 (HPE_INVALID_CONSTANT)"],
  ["http", err("ECONNRESET"), "connection closed by 127.0.0.1:5999 before a response"],
  ["http", "not an error", "HTTP request to 127.0.0.1:5999 failed"],
];

describe("describeNetFailure", () => {
  it.each(cases)("%s %#", (phase, error, expected) => {
    const text = describeNetFailure(phase, error, "nonexistent.invalid", "127.0.0.1:5999");
    expect(text).toBe(expected);
    expect(text).not.toContain("secret-in-message");
  });
});

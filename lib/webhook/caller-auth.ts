import "server-only";
import { createHash, randomBytes, timingSafeEqual, X509Certificate } from "node:crypto";
import type { WebhookAuthMode } from "@/lib/clusters/webhook-auth";
import { webhookTokenAad } from "@/lib/crypto/aad";
import { parseCertificates } from "@/lib/crypto/pem";
import { type Keyring, open, seal } from "@/lib/crypto/secret-box";
import { describeError, log } from "@/lib/log";

/** What the caller of POST /mutate/<clusterId> presented. */
export type CallerCredentials = { bearer: string | null; certificate: X509Certificate | null };
/** A cluster's webhook caller settings, as stored in cluster_sync. */
export type CallerSettings = {
  clusterId: string;
  orgId: string;
  webhookAuth: WebhookAuthMode;
  webhookClientCa: string | null;
  webhookTokenSealed: string | null;
};
/** `trusted`: the caller proved it is the cluster's API server (mtls, token); `untrusted`: mode none, anyone may have sent it. */
export type CallerDecision = { ok: true; trust: "trusted" | "untrusted" } | { ok: false; reason: string };

/** A new bearer token for a cluster's API server (256 bits), and its sealed form for cluster_sync. */
export function generateWebhookToken(
  keyring: Keyring,
  orgId: string,
  clusterId: string,
): { token: string; sealed: string } {
  const token = `rcwh_${randomBytes(32).toString("base64url")}`;
  return { token, sealed: seal(keyring, token, webhookTokenAad(orgId, clusterId)) };
}

/** Why a PEM cannot serve as a webhook client CA, or null. */
export function clientCaProblem(pem: string, now = new Date()): string | null {
  const certs = parseCertificates(pem);
  if (!certs || certs.length === 0) return "must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)";
  if (!certs.some((c) => c.ca)) return "must contain a CA certificate (basicConstraints CA:TRUE)";
  if (!certs.some((c) => c.ca && validAt(c, now))) return "has no CA certificate valid now";
  return null;
}

function validAt(cert: X509Certificate, now: Date): boolean {
  return Date.parse(cert.validFrom) <= now.getTime() && now.getTime() <= Date.parse(cert.validTo);
}

/** The leaf is valid now and signed by one of the configured CA certificates (no intermediates). */
function verifiedBy(leaf: X509Certificate, caPem: string | null, now: Date): boolean {
  if (!caPem || !validAt(leaf, now)) return false;
  const cas = parseCertificates(caPem) ?? [];
  return cas.some((ca) => ca.ca && validAt(ca, now) && leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
}

function tokenMatches(keyring: Keyring, settings: CallerSettings, presented: string): boolean {
  if (!settings.webhookTokenSealed) return false;
  let expected: string;
  try {
    expected = open(keyring, settings.webhookTokenSealed, webhookTokenAad(settings.orgId, settings.clusterId));
  } catch (err) {
    log.warn("webhook: the cluster's webhook token could not be opened", {
      cluster: settings.clusterId,
      ...describeError(err),
    });
    return false;
  }
  const digest = (t: string) => createHash("sha256").update(t).digest();
  return timingSafeEqual(digest(expected), digest(presented));
}

/** Decides whether a review for this cluster comes from its API server; the reason never echoes what was presented. */
export function authenticateCaller(
  keyring: Keyring,
  settings: CallerSettings,
  creds: CallerCredentials,
  now = new Date(),
): CallerDecision {
  switch (settings.webhookAuth) {
    case "none":
      return { ok: true, trust: "untrusted" };
    case "token":
      if (!settings.webhookTokenSealed) return { ok: false, reason: "no webhook token is set for this cluster" };
      if (!creds.bearer) return { ok: false, reason: "no bearer token was presented" };
      return tokenMatches(keyring, settings, creds.bearer)
        ? { ok: true, trust: "trusted" }
        : { ok: false, reason: "the bearer token does not match" };
    case "mtls":
      if (!settings.webhookClientCa) return { ok: false, reason: "no client CA is set for this cluster" };
      if (!creds.certificate) return { ok: false, reason: "no client certificate was presented" };
      return verifiedBy(creds.certificate, settings.webhookClientCa, now)
        ? { ok: true, trust: "trusted" }
        : { ok: false, reason: "the client certificate is not signed by the cluster's client CA" };
  }
}

import "server-only";
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, X509Certificate } from "node:crypto";
import fs from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { issuerFields, loadSharedCa } from "./shared-ca";
import { issueCertificate } from "./x509";

export type WebhookPki = {
  /** PEM of the CA: the MutatingWebhookConfiguration's caBundle. */
  caPem: string;
  certPem: string;
  keyPem: string;
};

const DAY_MS = 86_400_000;
const CA_DAYS = 3650;
const LEAF_DAYS = 365;
/** Renew the serving certificate when less than this is left; the CA when less than a year is left. */
const LEAF_RENEW_MS = 30 * DAY_MS;
const CA_RENEW_MS = 365 * DAY_MS;
const CA_FILE = "ca.pem";
const LEAF_FILE = "tls.pem";

type Pair = { key: KeyObject; keyPem: string; certPem: string; cert: X509Certificate };

function newKey(): { key: KeyObject; keyPem: string } {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { key: privateKey, keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}

function readPair(file: string): Pair | null {
  try {
    const text = fs.readFileSync(file, "utf8");
    const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n?/.exec(text)?.[0];
    const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(text)?.[0];
    if (!keyPem || !certPem) return null;
    return { key: createPrivateKey(keyPem), keyPem, certPem, cert: new X509Certificate(certPem) };
  } catch {
    return null;
  }
}

function tmpFile(file: string, pair: { keyPem: string; certPem: string }): string {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, `${pair.keyPem.trimEnd()}\n${pair.certPem}`, { mode: 0o600, flag: "wx" });
  return tmp;
}

const expiresWithin = (cert: X509Certificate, ms: number, now: Date) =>
  new Date(cert.validTo).getTime() - now.getTime() < ms;

function loadOrCreateCa(dir: string, now: Date): Pair {
  const file = path.join(dir, CA_FILE);
  const existing = readPair(file);
  if (existing && existing.cert.ca && !expiresWithin(existing.cert, CA_RENEW_MS, now)) return existing;
  const { key, keyPem } = newKey();
  const publicKey = createPublicKey(key);
  const notBefore = new Date(now.getTime() - 3_600_000);
  const certPem = issueCertificate({
    commonName: "regcred-webhook-ca",
    publicKey,
    signingKey: key,
    notBefore,
    notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
    isCa: true,
  });
  const tmp = tmpFile(file, { keyPem, certPem });
  try {
    // A new CA never replaces one another process has just made: link fails if the file appeared meanwhile.
    if (fs.existsSync(file)) fs.renameSync(tmp, file);
    else fs.linkSync(tmp, file);
  } catch (err) {
    const winner = readPair(file);
    if (winner) return winner;
    throw new Error("the webhook CA could not be stored", { cause: err });
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return readPair(file) ?? { key, keyPem, certPem, cert: new X509Certificate(certPem) };
}

function sharedPair(caDir: string, now: Date): Pair {
  const ca = loadSharedCa(caDir, now);
  return { key: ca.key, keyPem: "", certPem: ca.certPem, cert: ca.cert };
}

function leafCovers(leaf: Pair, ca: Pair, hosts: readonly string[], now: Date): boolean {
  if (
    !leaf.cert.checkIssued(ca.cert) ||
    !leaf.cert.verify(ca.cert.publicKey) ||
    expiresWithin(leaf.cert, LEAF_RENEW_MS, now)
  )
    return false;
  return hosts.every(
    (h) => (isIP(h) ? leaf.cert.checkIP(h) : leaf.cert.checkHost(h, { wildcards: false })) !== undefined,
  );
}

export type PkiOptions = {
  now?: Date;
  /** REGCRED_WEBHOOK_CA_DIR: a CA shared by every replica, used as it is (never generated or renewed here). */
  caDir?: string;
};

/**
 * The webhook's CA and serving certificate under `dir` (0700; files 0600, key and certificate together so each
 * replaces atomically): the CA is made once and kept across restarts (or read from `caDir` on every call), the
 * serving certificate is re-issued when its names or its CA change or it nears expiry. `hosts` are DNS names or
 * IP addresses. A bad shared CA throws a WebhookCaError naming REGCRED_WEBHOOK_CA_DIR.
 */
export function loadWebhookPki(dir: string, hosts: readonly string[], opts: PkiOptions = {}): WebhookPki {
  const now = opts.now ?? new Date();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca: Pair = opts.caDir ? sharedPair(opts.caDir, now) : loadOrCreateCa(dir, now);
  const file = path.join(dir, LEAF_FILE);
  const wanted = [...new Set(hosts.map((h) => h.replace(/^\[|\]$/g, "")))];
  const existing = readPair(file);
  if (existing && leafCovers(existing, ca, wanted, now))
    return { caPem: ca.certPem, certPem: existing.certPem, keyPem: existing.keyPem };
  const { key, keyPem } = newKey();
  const certPem = issueCertificate({
    commonName: wanted[0] ?? "regcred-webhook",
    publicKey: createPublicKey(key),
    issuer: { commonName: "regcred-webhook-ca", publicKey: createPublicKey(ca.key), ...issuerFields(ca.cert) },
    signingKey: ca.key,
    notBefore: new Date(now.getTime() - 3_600_000),
    // Never past the CA's own end: a shared CA may have less than a year left.
    notAfter: new Date(Math.min(now.getTime() + LEAF_DAYS * DAY_MS, new Date(ca.cert.validTo).getTime())),
    isCa: false,
    dnsNames: wanted.filter((h) => !isIP(h)),
    ipAddresses: wanted.filter((h) => isIP(h)),
  });
  const tmp = tmpFile(file, { keyPem, certPem });
  fs.renameSync(tmp, file);
  return { caPem: ca.certPem, certPem, keyPem };
}

import "server-only";
import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** A CA that every replica shares (REGCRED_WEBHOOK_CA_DIR): a mounted Secret of type kubernetes.io/tls. */
export type SharedCa = {
  cert: X509Certificate;
  certPem: string;
  key: KeyObject;
  /** The CA's subject as DER and its subjectKeyIdentifier: what an issued certificate names as its issuer. */
  subjectDer: Buffer;
  keyId: Buffer | undefined;
};

export class WebhookCaError extends Error {}

const VARIABLE = "REGCRED_WEBHOOK_CA_DIR";
const SKI_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0e]);

type Tlv = { tag: number; start: number; body: number; end: number };

function readTlv(der: Buffer, at: number): Tlv {
  const tag = der[at]!;
  let len = der[at + 1]!;
  let body = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[body + i]!;
    body += n;
  }
  if (body + len > der.length) throw new Error("truncated DER");
  return { tag, start: at, body, end: body + len };
}

function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.body; at < parent.end; at = out.at(-1)!.end) out.push(readTlv(der, at));
  return out;
}

/** The subject (DER) and subjectKeyIdentifier of a certificate, read from its TBSCertificate. */
export function issuerFields(cert: X509Certificate): { subjectDer: Buffer; keyId: Buffer | undefined } {
  const der = cert.raw;
  const tbs = children(der, readTlv(der, 0))[0]!;
  const fields = children(der, tbs);
  const rest = fields[0]!.tag === 0xa0 ? fields.slice(1) : fields;
  // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, then optional [1] [2] [3].
  const subject = rest[4]!;
  let keyId: Buffer | undefined;
  const exts = rest.find((f) => f.tag === 0xa3);
  if (exts) {
    for (const ext of children(der, children(der, exts)[0]!)) {
      const parts = children(der, ext);
      if (!der.subarray(parts[0]!.start, parts[0]!.end).equals(SKI_OID)) continue;
      const wrapped = parts.at(-1)!;
      const inner = readTlv(der, wrapped.body);
      keyId = Buffer.from(der.subarray(inner.body, inner.end));
    }
  }
  return { subjectDer: Buffer.from(der.subarray(subject.start, subject.end)), keyId };
}

function fail(dir: string, problem: string): never {
  throw new WebhookCaError(`${VARIABLE}: ${problem} (in ${dir})`);
}

function readText(dir: string, file: string): string {
  try {
    return fs.readFileSync(path.join(dir, file), "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "is missing" : code === "EACCES" ? "is not readable" : `cannot be read (${code})`;
    return fail(dir, `${file} ${why}; mount a Secret of type kubernetes.io/tls holding the webhook CA there`);
  }
}

/**
 * Reads and checks the shared webhook CA: `tls.crt` (the CA certificate, PEM) and `tls.key` (its ECDSA P-256 key,
 * PKCS#8 or SEC1 PEM). Throws a WebhookCaError naming REGCRED_WEBHOOK_CA_DIR when anything is missing or wrong.
 */
export function loadSharedCa(dir: string, now = new Date()): SharedCa {
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(readText(dir, "tls.crt"))?.[0];
  if (!certPem) fail(dir, "tls.crt holds no PEM certificate");
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return fail(dir, "tls.crt is not a valid X.509 certificate");
  }
  if (!cert.ca) fail(dir, "tls.crt is not a CA certificate (basicConstraints CA:TRUE is missing)");
  if (new Date(cert.validTo).getTime() <= now.getTime()) fail(dir, `the CA certificate expired on ${cert.validTo}`);
  if (new Date(cert.validFrom).getTime() > now.getTime())
    fail(dir, `the CA certificate is valid only from ${cert.validFrom}`);
  let key: KeyObject;
  try {
    key = createPrivateKey(readText(dir, "tls.key"));
  } catch (err) {
    if (err instanceof WebhookCaError) throw err;
    return fail(dir, 'tls.key is not a PEM private key (PKCS#8 "PRIVATE KEY" or SEC1 "EC PRIVATE KEY")');
  }
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1")
    fail(dir, `tls.key must be an ECDSA P-256 key, not ${describeKey(key)}`);
  if (!cert.checkPrivateKey(key)) fail(dir, "tls.key is not the private key of the certificate in tls.crt");
  return { cert, certPem, key, ...issuerFields(cert) };
}

function describeKey(key: KeyObject): string {
  const d = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === "ec") return `an EC key on ${d?.namedCurve ?? "an unknown curve"}`;
  if (key.asymmetricKeyType === "rsa") return `an RSA key (${d?.modulusLength ?? "?"} bits)`;
  return `a ${key.asymmetricKeyType ?? "unknown"} key`;
}

import { X509Certificate } from "node:crypto";

/** The `-----BEGIN CERTIFICATE-----` blocks of a PEM bundle, as text. */
export function certificateBlocks(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** Every certificate in a PEM bundle, or null when a block does not parse. */
export function parseCertificates(pem: string): X509Certificate[] | null {
  try {
    return certificateBlocks(pem).map((b) => new X509Certificate(b));
  } catch {
    return null;
  }
}

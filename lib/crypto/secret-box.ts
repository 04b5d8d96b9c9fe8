import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

export type Keyring = { current: string; keys: Map<string, Buffer> };

export function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 12);
}

export function decodeKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) throw new Error("encryption key must be 32 bytes");
  return key;
}

/** The keys of REGCRED_ENCRYPTION_KEYS (comma-separated, decrypt only). */
export function decodeKeyList(text: string | undefined): Buffer[] {
  return (text ?? "")
    .split(",")
    .filter((k) => k.trim() !== "")
    .map(decodeKey);
}

/** The id of the key a sealed value was sealed with, or null for an unknown format. */
export function sealedKeyId(sealed: string): string | null {
  const [version, kid] = sealed.split(".");
  return version === "v1" && kid ? kid : null;
}

/** The current key seals; the previous ones (REGCRED_ENCRYPTION_KEYS) only open. */
export function createKeyring(current: Buffer, previous: Buffer[] = []): Keyring {
  const keys = new Map<string, Buffer>();
  for (const key of [...previous, current]) keys.set(keyId(key), key);
  return { current: keyId(current), keys };
}

/** Encrypts with AES-256-GCM; output is `v1.<keyId>.<iv>.<tag>.<ciphertext>` in base64url. */
export function seal(keyring: Keyring, plaintext: string, aad: string): string {
  const key = keyring.keys.get(keyring.current);
  if (!key) throw new Error("current encryption key missing from keyring");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    "v1",
    keyring.current,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    body.toString("base64url"),
  ].join(".");
}

export function open(keyring: Keyring, sealed: string, aad: string): string {
  const [version, kid, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !kid || !iv || !tag || body === undefined)
    throw new Error("sealed value has an unknown format");
  const key = keyring.keys.get(kid);
  if (!key)
    throw new Error(
      `sealed with encryption key id ${kid}, which is neither REGCRED_ENCRYPTION_KEY nor in REGCRED_ENCRYPTION_KEYS`,
    );
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

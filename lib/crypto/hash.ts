import "server-only";
import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { env } from "../env";

export type ScryptCost = { ln: number; r: number; p: number };

/** What `scrypt$salt$hash` hashes (before parameters were recorded) were made with: Node's defaults. */
const LEGACY_COST: ScryptCost = { ln: 14, r: 8, p: 1 };
const KEY_LENGTH = 64;
// A salt and key nobody's password hashes to: unknown accounts are verified against it, so they cost one scrypt too.
const DUMMY_SALT = Buffer.alloc(16, 0x5a);
const DUMMY_KEY = Buffer.alloc(KEY_LENGTH, 0);

/** How many password hashes this process computed; tests count it to prove equal work per sign-in. */
export const passwordHashStats = { calls: 0 };

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function currentCost(): ScryptCost {
  return { ln: env().REGCRED_PASSWORD_SCRYPT_LOG_N, r: 8, p: 1 };
}

function derive(password: string, salt: Buffer, length: number, { ln, r, p }: ScryptCost): Promise<Buffer> {
  passwordHashStats.calls++;
  const N = 2 ** ln;
  // scrypt needs 128·N·r·p bytes (128 MiB at N=2^17, r=8); Node's default maxmem is 32 MiB.
  const maxmem = 128 * N * r * p + 16 * 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(password, salt, length, { N, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$ln=17,r=8,p=1$<salt>$<key>`: the parameters travel with the hash, so the cost can rise later. */
export async function hashPassword(password: string, cost: ScryptCost = currentCost()): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, KEY_LENGTH, cost);
  return `scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

type Parsed = { cost: ScryptCost; legacy: boolean; salt: Buffer; key: Buffer };

function parseCost(text: string): ScryptCost | null {
  const m = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})$/.exec(text);
  if (!m) return null;
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return ln >= 1 && ln <= 22 && r >= 1 && r <= 32 && p >= 1 && p <= 16 ? { ln, r, p } : null;
}

function parseHash(stored: string): Parsed | null {
  const parts = stored.split("$");
  if (parts[0] !== "scrypt") return null;
  const legacy = parts.length === 3;
  const cost = legacy ? LEGACY_COST : parts.length === 4 ? parseCost(parts[1]!) : null;
  const [salt, key] = parts.slice(-2);
  if (!cost || !salt || !key) return null;
  return { cost, legacy, salt: Buffer.from(salt, "base64url"), key: Buffer.from(key, "base64url") };
}

/** Checks a password against a stored hash (either format); an unreadable hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || parsed.key.length === 0) return false;
  const actual = await derive(password, parsed.salt, parsed.key.length, parsed.cost);
  return timingSafeEqual(actual, parsed.key);
}

/** The same scrypt work as a real check, against a key nothing matches (unknown account, no password yet). */
export async function verifyDummyPassword(password: string, cost: ScryptCost = currentCost()): Promise<false> {
  const actual = await derive(password, DUMMY_SALT, KEY_LENGTH, cost);
  timingSafeEqual(actual, DUMMY_KEY);
  return false;
}

/** Whether a hash that just verified should be replaced: it predates recorded parameters or is cheaper than today's cost. */
export function needsRehash(stored: string, cost: ScryptCost = currentCost()): boolean {
  const parsed = parseHash(stored);
  if (!parsed || parsed.legacy) return true;
  return parsed.cost.ln < cost.ln || parsed.cost.r !== cost.r || parsed.cost.p !== cost.p;
}

import { parseJsonOrNull } from "../json";

const minSecretLength = 4;

/** The strings a check must never echo: the password, its Basic header form, and a service-account key's private key. */
export function secretsOf(creds: { username?: string; password?: string } | null): string[] {
  if (!creds?.password) return [];
  const out = [creds.password, Buffer.from(`${creds.username ?? ""}:${creds.password}`, "utf8").toString("base64")];
  const key = (parseJsonOrNull(creds.password) as { private_key?: unknown } | null)?.private_key;
  if (typeof key === "string") out.push(key, JSON.stringify(key).slice(1, -1));
  return out;
}

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= minSecretLength && out.includes(s)) out = out.split(s).join("[redacted]");
  return out;
}

/** Replaces every secret in every string of a JSON-like value (the last line of defence for check results). */
export function redactDeep<T>(value: T, secrets: string[]): T {
  if (typeof value === "string") return scrub(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)])) as T;
  }
  return value;
}

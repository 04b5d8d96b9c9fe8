import { parseJsonOrNull } from "../../json";
import type { Challenge } from "./challenge";

const minTokenSeconds = 60;

export function basicAuthorization(creds: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`, "utf8").toString("base64")}`;
}

/** The token request of a Bearer challenge: its realm with `service`, each scope and `account`; null without an http(s) realm. */
export function tokenRequestUrl(challenge: Challenge, scope: string | undefined, account: string | null): URL | null {
  let url: URL;
  try {
    url = new URL(challenge.params.realm ?? "");
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
  for (const s of scope ? scope.split(" ").filter(Boolean) : []) url.searchParams.append("scope", s);
  if (account) url.searchParams.set("account", account);
  return url;
}

/** `token` or `access_token` of a token endpoint's answer, with `expires_in` raised to at least 60 s. */
export function readToken(body: string): { token: string; expiresIn: number } | null {
  const json = parseJsonOrNull(body) as { token?: unknown; access_token?: unknown; expires_in?: unknown } | null;
  if (!json || typeof json !== "object") return null;
  const token =
    typeof json.token === "string" && json.token
      ? json.token
      : typeof json.access_token === "string" && json.access_token
        ? json.access_token
        : null;
  if (!token) return null;
  const expiresIn = Number(json.expires_in);
  return {
    token,
    expiresIn: Number.isFinite(expiresIn) && expiresIn >= minTokenSeconds ? expiresIn : minTokenSeconds,
  };
}

type AccessEntry = { type?: unknown; name?: unknown; actions?: unknown };

/**
 * Whether a registry token's `access` claim grants pull on the repository, read without verifying the signature
 * (distribution's token format, which Docker Hub and most token servers share); null when the token is not such a JWT.
 */
export function tokenGrantsPull(token: string, repository: string): boolean | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const claims = parseJsonOrNull(Buffer.from(parts[1]!, "base64url").toString("utf8")) as { access?: unknown } | null;
  if (!claims || typeof claims !== "object" || !Array.isArray(claims.access)) return null;
  return (claims.access as AccessEntry[]).some(
    (a) =>
      a?.type === "repository" &&
      a.name === repository &&
      Array.isArray(a.actions) &&
      a.actions.some((x) => x === "pull" || x === "*"),
  );
}

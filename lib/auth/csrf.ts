export type CsrfRequest = {
  method: string;
  contentType: string | null;
  origin: string | null;
  secFetchSite: string | null;
  host: string | null;
};

const MUTATIONS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** `application/json` or `application/<anything>+json`, parameters ignored: types a cross-site form cannot send without a CORS preflight. */
export function isJsonContentType(value: string | null): boolean {
  const type = value?.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(type);
}

function sameHost(origin: string, host: string | null): boolean {
  if (!host) return false;
  try {
    const from = new URL(origin);
    if (from.protocol !== "http:" && from.protocol !== "https:") return false;
    return from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

/**
 * Why a request authenticated by the session cookie must be refused as possibly cross-site, or null.
 * Mutations need a JSON Content-Type and proof they come from this site: an Origin naming this host,
 * or (without Origin) Sec-Fetch-Site: same-origin. Reads pass.
 */
export function crossSiteProblem(req: CsrfRequest): string | null {
  if (!MUTATIONS.has(req.method.toUpperCase())) return null;
  if (!isJsonContentType(req.contentType)) {
    return `A ${req.method.toUpperCase()} signed in by the session cookie must send Content-Type: application/json. API clients: use Authorization: Bearer <token>.`;
  }
  const site = req.secFetchSite?.trim().toLowerCase();
  if (site && site !== "same-origin") return "Cross-site request refused: Sec-Fetch-Site is not same-origin.";
  if (req.origin !== null)
    return sameHost(req.origin.trim(), req.host)
      ? null
      : "Cross-origin request refused: the Origin header does not name this site.";
  return site === "same-origin"
    ? null
    : "Request refused: a request signed in by the session cookie must send an Origin or Sec-Fetch-Site header showing it comes from this site.";
}

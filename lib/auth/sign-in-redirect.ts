/** Set by proxy.ts on page requests: the path and query asked for, for the sign-in redirect of an expired session. */
export const REQUESTED_PATH_HEADER = "x-regcred-requested-path";

/** Where a sign-in lands when no page was asked for, or the one asked for is refused. */
export const DEFAULT_LANDING = "/registries";

const base = "http://regcred.invalid";
const notPages = /^\/(login|api|_next)(\/|\?|#|$)/;

/**
 * The page to open after sign-in: `next` when it is a path on this site, else the default. Anything that
 * could leave the site is refused: other origins, scheme-relative `//host`, backslashes (browsers read
 * `/\host` as `//host`), control characters and whitespace (browsers drop a tab inside `/\t/host`).
 */
export function safeNextPath(next: string | string[] | null | undefined): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2048) return DEFAULT_LANDING;
  if (!next.startsWith("/") || next.startsWith("//") || /[\\\s\u0000-\u001f\u007f]/.test(next)) return DEFAULT_LANDING;
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return DEFAULT_LANDING;
  }
  if (url.origin !== base) return DEFAULT_LANDING;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return notPages.test(path) ? DEFAULT_LANDING : path;
}

/** The sign-in page for someone who asked for `path` (with its query) without a session. */
export function signInUrlFor(path: string): string {
  const next = safeNextPath(path);
  return next === DEFAULT_LANDING || next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
}

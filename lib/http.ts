import "server-only";
import { type NextRequest, NextResponse } from "next/server";
import type { Db } from "@/db/client";
import type { Actor } from "./auth/actor";
import { authenticate, type Credentials } from "./auth/authenticate";
import { crossSiteProblem } from "./auth/csrf";
import { SESSION_COOKIE } from "./auth/session";
import type { Keyring } from "./crypto/secret-box";
import { env } from "./env";
import { AppError, isAppError } from "./errors";
import { describeError, log } from "./log";
import { recordHttpRequest } from "./metrics";
import { clientOf } from "./net/peer";
import { runtime } from "./runtime";

export type ApiCtx = { db: Db; keyring: Keyring; actor: Actor; req: NextRequest };
type Params = Record<string, string>;

export function jsonError(err: AppError): NextResponse {
  const headers: Record<string, string> = {};
  if (err.code === "UNAUTHENTICATED") headers["WWW-Authenticate"] = 'Bearer realm="regcred"';
  if ("retryAfterSeconds" in err && typeof err.retryAfterSeconds === "number")
    headers["Retry-After"] = String(err.retryAfterSeconds);
  return NextResponse.json(
    { error: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) },
    { status: err.status, headers },
  );
}

/** A 200 answer whose body is JSON text made elsewhere (the database), sent without parsing it again. */
export function jsonText(text: string): Response {
  return new Response(text, { headers: { "content-type": "application/json" } });
}

/** Refuses a mutation signed in by the session cookie unless it is JSON from this site (CSRF). */
export function refuseCrossSite(req: NextRequest): void {
  const h = req.headers;
  const problem = crossSiteProblem({
    method: req.method,
    contentType: h.get("content-type"),
    origin: h.get("origin"),
    secFetchSite: h.get("sec-fetch-site"),
    host: clientOf(h).host,
  });
  if (problem) throw new AppError("FORBIDDEN", problem);
}

function bearerOf(req: NextRequest): string | null {
  const header = req.headers.get("authorization");
  if (!header) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match?.[1]) throw new AppError("UNAUTHENTICATED", "The Authorization header must be: Bearer <token>.");
  return match[1].trim();
}

/** Reads the body as JSON whatever its Content-Type (Humanitec's curl examples send none); `optional`: none reads as {}. */
export async function readJson(req: NextRequest, opts: { optional?: boolean } = {}): Promise<unknown> {
  const limit = env().REGCRED_MAX_BODY_BYTES;
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${limit} bytes.`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    for await (const chunk of req.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > limit) throw new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${limit} bytes.`);
      chunks.push(chunk);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "" && opts.optional) return {};
  if (text.trim() === "") throw new AppError("INVALID_JSON", "The request body is empty; send a JSON object.");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError("INVALID_JSON", `The request body is not valid JSON: ${jsonProblem(text, err)}.`, {
      cause: err,
    });
  }
}

// V8 can quote the input in its message; only the kind of problem and its position are kept.
function jsonProblem(text: string, err: unknown): string {
  const detail = err instanceof SyntaxError ? err.message : "parse error";
  const kind = detail.split(/,| in JSON| at position|\(/)[0]?.trim() || "parse error";
  const pos = /position (\d+)/.exec(detail);
  if (!pos?.[1]) return kind;
  const offset = Number(pos[1]);
  const before = text.slice(0, offset);
  return `${kind} at line ${before.split("\n").length}, column ${offset - before.lastIndexOf("\n")}`;
}

type Handler = (ctx: ApiCtx, params: Params) => Promise<Response>;

type Resolve = (db: Db, creds: Credentials, orgId: string) => Promise<Actor>;

/**
 * The route a request matched, with its parameters as `[name]` (`/api/orgs/[orgId]/registries`): a metrics label that
 * never carries an org's, registry's or cluster's name.
 */
export function routePattern(pathname: string, params: Readonly<Params>): string {
  const names = new Map(Object.entries(params).map(([k, v]) => [v, k]));
  return pathname
    .split("/")
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // a malformed escape stays as sent
      }
      const name = names.get(decoded);
      return name ? `[${name}]` : segment;
    })
    .join("/");
}

/** Runs a route handler and records its duration by route pattern, method and status (regcred_http_…). */
async function timed(req: NextRequest, route: string, run: () => Promise<Response>): Promise<Response> {
  const started = performance.now();
  let status = 500;
  try {
    const res = await run();
    status = res.status;
    return res;
  } finally {
    recordHttpRequest(route, req.method, status, (performance.now() - started) / 1000);
  }
}

/** Route-handler boundary: authenticates for the org in the path (or as `resolve` says) and maps errors to JSON. */
export function api(handler: Handler, resolve: Resolve = authenticate) {
  return async (req: NextRequest, route: { params: Promise<Params> }): Promise<Response> => {
    const params = (await route?.params) ?? {};
    return timed(req, routePattern(req.nextUrl.pathname, params), async () => {
      try {
        // PostgreSQL text cannot hold NUL, so nothing is named with one; a query for it would fail.
        if (Object.values(params).some((v) => v.includes("\u0000")))
          throw new AppError("NOT_FOUND", "No resource has a NUL character in its name.");
        const orgId = params.orgId ?? "";
        const bearer = bearerOf(req);
        const sessionToken = req.cookies.get(SESSION_COOKIE)?.value ?? null;
        if (!bearer && sessionToken) refuseCrossSite(req);
        const { database, keyring } = await runtime();
        const actor = await resolve(database.db, { bearer, sessionToken }, orgId);
        return await handler({ db: database.db, keyring, actor, req }, params);
      } catch (err) {
        return errorResponse(req, err);
      }
    });
  };
}

function errorResponse(req: NextRequest, err: unknown): Response {
  if (isAppError(err)) return jsonError(err);
  log.error("unhandled error in API route", { path: req.nextUrl.pathname, method: req.method, ...describeError(err) });
  return NextResponse.json({ error: "INTERNAL", message: "Internal error; see the server log." }, { status: 500 });
}

/** Route-handler boundary for routes without an org or actor (sign-in): maps errors to JSON only. */
export function publicApi(handler: (req: NextRequest) => Promise<Response>) {
  return async (req: NextRequest): Promise<Response> =>
    timed(req, req.nextUrl.pathname, () => handler(req).catch((err: unknown) => errorResponse(req, err)));
}

/** An /api path no route handles, answered by `respond`; recorded under the route `unmatched`. */
export function unmatchedApi(respond: (req: NextRequest) => Response) {
  return (req: NextRequest): Promise<Response> => timed(req, "unmatched", async () => respond(req));
}

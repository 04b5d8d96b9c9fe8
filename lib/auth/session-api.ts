import "server-only";
import { type NextRequest, NextResponse } from "next/server";
import { AppError } from "../errors";
import { readJson, refuseCrossSite } from "../http";
import { clientOf } from "../net/peer";
import { runtime } from "../runtime";
import { crossSiteProblem, isJsonContentType } from "./csrf";
import { createSession, deleteSession, SESSION_COOKIE } from "./session";
import { sessionCookieOptions } from "./session-cookie";
import { signIn } from "./sign-in";

// Login CSRF: a browser must not be signed in to someone else's account by another site's form.
function refuseCrossSiteSignIn(req: NextRequest, host: string | null): void {
  const h = req.headers;
  if (!isJsonContentType(h.get("content-type")))
    throw new AppError("UNSUPPORTED", "Send the sign-in as JSON with Content-Type: application/json.");
  const origin = h.get("origin");
  const secFetchSite = h.get("sec-fetch-site");
  if (origin === null && secFetchSite === null) return;
  const problem = crossSiteProblem({ method: "POST", contentType: h.get("content-type"), origin, secFetchSite, host });
  if (problem) throw new AppError("FORBIDDEN", problem);
}

/** POST /api/session: {email, password} → 204 with the session cookie; 429 with Retry-After when limited. */
export async function createSessionRoute(req: NextRequest): Promise<Response> {
  const client = clientOf(req.headers);
  refuseCrossSiteSignIn(req, client.host);
  const { database } = await runtime();
  const { userId, orgId } = await signIn(database.db, await readJson(req), client);
  const { token, expiresAt } = await createSession(database.db, userId, orgId);
  const res = new NextResponse(null, { status: 204 });
  res.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(expiresAt, client.https, req.headers.get("origin")));
  return res;
}

/** DELETE /api/session: ends the cookie's session (a cookie-authenticated mutation, so CSRF rules apply). */
export async function deleteSessionRoute(req: NextRequest): Promise<Response> {
  const token = req.cookies.get(SESSION_COOKIE)?.value;
  if (!token) throw new AppError("UNAUTHENTICATED", "You are not signed in: there is no session cookie.");
  refuseCrossSite(req);
  const res = new NextResponse(null, { status: 204 });
  await deleteSession((await runtime()).database.db, token);
  res.cookies.set(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", path: "/", expires: new Date(0) });
  return res;
}

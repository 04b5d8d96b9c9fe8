import { type NextRequest, NextResponse } from "next/server";
import { REQUESTED_PATH_HEADER, signInUrlFor } from "./lib/auth/sign-in-redirect";

const allowed = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Early answers only: unsupported methods get 405, and pages without a session cookie go to /login?next=<page>. */
export function proxy(req: NextRequest): NextResponse {
  if (!allowed.has(req.method)) {
    return NextResponse.json(
      { error: "METHOD_NOT_ALLOWED", message: `${req.method} is not supported.` },
      { status: 405, headers: { Allow: [...allowed].join(", ") } },
    );
  }
  const path = req.nextUrl.pathname;
  const isPage =
    path !== "/api" && !path.startsWith("/api/") && !path.startsWith("/login") && !path.startsWith("/invite/");
  if (!isPage) return NextResponse.next();
  const requested = `${path}${req.nextUrl.search}`;
  if (!req.cookies.has("regcred_session")) return NextResponse.redirect(new URL(signInUrlFor(requested), req.url));
  // For a session that turns out expired: the page's own redirect to /login keeps where the user was going.
  const headers = new Headers(req.headers);
  headers.set(REQUESTED_PATH_HEADER, requested);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"] };

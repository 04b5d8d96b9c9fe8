import { type NextRequest, NextResponse } from "next/server";

const allowed = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Early answers only: unsupported methods get 405, and pages without a session cookie go to /login. */
export function proxy(req: NextRequest): NextResponse {
  if (!allowed.has(req.method)) {
    return NextResponse.json(
      { error: "METHOD_NOT_ALLOWED", message: `${req.method} is not supported.` },
      { status: 405, headers: { Allow: [...allowed].join(", ") } },
    );
  }
  const path = req.nextUrl.pathname;
  const isPage = !path.startsWith("/api/") && !path.startsWith("/login") && !path.startsWith("/invite/");
  if (isPage && !req.cookies.has("regcred_session")) return NextResponse.redirect(new URL("/login", req.url));
  return NextResponse.next();
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"] };

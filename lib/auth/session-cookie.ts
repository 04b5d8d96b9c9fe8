import "server-only";
import { cookies, headers } from "next/headers";
import type { Db } from "@/db/client";
import { env } from "../env";
import { clientOf } from "../net/peer";
import { createSession, SESSION_COOKIE } from "./session";

export type SessionCookieOptions = { httpOnly: true; sameSite: "lax"; secure: boolean; path: "/"; expires: Date };

/**
 * Secure whenever the client's connection was HTTPS (the socket, or a trusted proxy's X-Forwarded-Proto),
 * or the browser's Origin is https (its page was served over HTTPS, even through a proxy not listed as trusted);
 * REGCRED_SECURE_COOKIES=true forces it.
 */
export function sessionCookieOptions(expires: Date, https: boolean, origin: string | null): SessionCookieOptions {
  const secure = env().REGCRED_SECURE_COOKIES || https || (origin?.toLowerCase().startsWith("https://") ?? false);
  return { httpOnly: true, sameSite: "lax", secure, path: "/", expires };
}

/** Creates a session and sets its cookie (server actions only). */
export async function startSession(db: Db, userId: string, orgId: string): Promise<void> {
  const { token, expiresAt } = await createSession(db, userId, orgId);
  const h = await headers();
  (await cookies()).set(SESSION_COOKIE, token, sessionCookieOptions(expiresAt, clientOf(h).https, h.get("origin")));
}

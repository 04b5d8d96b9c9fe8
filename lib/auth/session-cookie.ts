import "server-only";
import { cookies } from "next/headers";
import type { Db } from "@/db/client";
import { env } from "../env";
import { createSession, SESSION_COOKIE } from "./session";

/** Creates a session and sets its cookie (server actions only). */
export async function startSession(db: Db, userId: string, orgId: string): Promise<void> {
  const { token, expiresAt } = await createSession(db, userId, orgId);
  (await cookies()).set(SESSION_COOKIE, token, { httpOnly: true, sameSite: "lax", secure: env().REGCRED_SECURE_COOKIES, path: "/", expires: expiresAt });
}

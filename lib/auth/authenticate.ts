import "server-only";
import type { Db } from "@/db/client";
import { sha256 } from "../crypto/hash";
import { AppError } from "../errors";
import type { Actor } from "./actor";
import { findAcceptedRole, findActiveToken, markTokenUsed } from "./repo";
import { type Role, roleAtLeast } from "./roles";
import { findSession } from "./session";

export type Credentials = { bearer: string | null; sessionToken: string | null };

/** The token's actor in `orgId` (404 for another org), or in the token's own org when `orgId` is null. */
async function actorFromToken(db: Db, bearer: string, orgId: string | null): Promise<Actor> {
  const token = await findActiveToken(db, sha256(bearer));
  if (!token) throw new AppError("UNAUTHENTICATED", "The API token is invalid or revoked.");
  if (orgId !== null && token.orgId !== orgId)
    throw new AppError("NOT_FOUND", `Organization "${orgId}" was not found.`);
  // last_used_at is minute-grained, so a busy CI token costs one write a minute, not one per call.
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
    await markTokenUsed(db, token.id);
  }
  return {
    orgId: token.orgId,
    role: token.role,
    kind: "token",
    userId: null,
    tokenId: token.id,
    label: `token:${token.name}`,
    scopes: token.scopes,
  };
}

type Session = NonNullable<Awaited<ReturnType<typeof findSession>>>;

/** The actor of an already-found session in one org (404 unless the user has accepted a membership there). */
export async function actorForSession(db: Db, session: Session, orgId: string): Promise<Actor> {
  const role = await findAcceptedRole(db, orgId, session.userId);
  if (!role) throw new AppError("NOT_FOUND", `Organization "${orgId}" was not found.`);
  return {
    orgId,
    role,
    kind: "user",
    userId: session.userId,
    tokenId: null,
    label: session.email,
    scopes: [],
  };
}

async function actorFromSession(db: Db, sessionToken: string, orgId: string): Promise<Actor> {
  const session = await findSession(db, sessionToken);
  if (!session) throw new AppError("UNAUTHENTICATED", "Your session has expired. Sign in again.");
  return actorForSession(db, session, orgId);
}

/** An API token's actor in its own org (routes without an org in the path). */
export function actorForToken(db: Db, bearer: string): Promise<Actor> {
  return actorFromToken(db, bearer, null);
}

/** Resolves the caller for one org; other orgs answer 404 so their existence does not leak. */
export async function authenticate(db: Db, creds: Credentials, orgId: string): Promise<Actor> {
  if (creds.bearer) return actorFromToken(db, creds.bearer, orgId);
  if (creds.sessionToken) return actorFromSession(db, creds.sessionToken, orgId);
  throw new AppError("UNAUTHENTICATED", "Authentication required: send an Authorization: Bearer token or sign in.");
}

export function authorize(actor: Actor, need: Role): void {
  if (!roleAtLeast(actor.role, need)) {
    throw new AppError("FORBIDDEN", `This needs the ${need} role; you have ${actor.role}.`);
  }
}

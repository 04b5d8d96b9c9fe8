import "server-only";
import type { Db } from "@/db/client";
import type { Actor } from "../auth/actor";
import { actorForToken, authenticate, type Credentials } from "../auth/authenticate";
import { findSession } from "../auth/session";
import { AppError, isAppError } from "../errors";
import { findOrg } from "./repo";
import { isInstanceAdmin } from "./service";

/** /api/orgs has no org in its path: a token acts in its own org, a session as its user in the session's org. */
export async function authenticateCaller(db: Db, creds: Credentials): Promise<Actor> {
  if (!creds.bearer && creds.sessionToken) {
    const session = await findSession(db, creds.sessionToken);
    if (!session) throw new AppError("UNAUTHENTICATED", "Your session has expired. Sign in again.");
    // The role is irrelevant here: these operations check membership or the instance-admin flag themselves.
    return {
      orgId: session.orgId,
      role: "viewer",
      kind: "user",
      userId: session.userId,
      tokenId: null,
      label: session.email,
      scopes: [],
    };
  }
  if (creds.bearer) return actorForToken(db, creds.bearer);
  return authenticate(db, creds, "");
}

/**
 * Adding members: an admin of the org, or an instance admin who need not be a member (to rescue an org
 * that lost its admins). Everyone else gets the usual answer, 404 for an org that is not theirs.
 */
export async function authenticateMemberAdmin(db: Db, creds: Credentials, orgId: string): Promise<Actor> {
  try {
    const actor = await authenticate(db, creds, orgId);
    if (actor.kind !== "user" || actor.role === "admin" || !(await isInstanceAdmin(db, actor.userId))) return actor;
    return { ...actor, role: "admin", label: `${actor.label} (instance admin)` };
  } catch (err) {
    if (!isAppError(err) || err.code !== "NOT_FOUND" || creds.bearer || !creds.sessionToken) throw err;
    const session = await findSession(db, creds.sessionToken);
    const org = await findOrg(db, orgId);
    if (!session || !org || !(await isInstanceAdmin(db, session.userId))) throw err;
    return {
      orgId,
      role: "admin",
      kind: "user",
      userId: session.userId,
      tokenId: null,
      label: `${session.email} (instance admin)`,
      scopes: [],
    };
  }
}

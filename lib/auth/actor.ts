import type { Role } from "./roles";

/** Who is acting in one org: a signed-in user or an API token. */
export type Actor = {
  orgId: string;
  role: Role;
  kind: "user" | "token";
  userId: string | null;
  tokenId: string | null;
  label: string;
  scopes: readonly string[];
};

/** Regcred itself acting in an org (start-up registration, adoption): audited as "system". */
export const systemActor = (orgId: string): Actor => ({
  orgId,
  role: "admin",
  kind: "token",
  userId: null,
  tokenId: null,
  label: "system",
  scopes: [],
});

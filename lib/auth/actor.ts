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

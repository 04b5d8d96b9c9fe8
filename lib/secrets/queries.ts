export const secretKeys = {
  all: (orgId: string) => ["secrets", orgId] as const,
  view: (orgId: string) => [...secretKeys.all(orgId), "view"] as const,
};

/** How often the open Secrets screen re-reads the clusters. */
export const SECRETS_REFETCH_MS = 15_000;

export { ActionFailure, unwrap } from "../result";

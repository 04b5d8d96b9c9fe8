import type { ReadinessQuery } from "./schema";

export const readinessKeys = {
  all: (orgId: string) => ["readiness", orgId] as const,
  view: (orgId: string, query: ReadinessQuery) => [...readinessKeys.all(orgId), "view", query] as const,
};

/** How often the open Readiness screen re-reads the verdicts (cached checks; a re-read never runs a check). */
export const READINESS_REFETCH_MS = 30_000;

export { ActionFailure, unwrap } from "../result";

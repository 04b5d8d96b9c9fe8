export const syncKeys = {
  all: (orgId: string) => ["sync", orgId] as const,
  overview: (orgId: string) => [...syncKeys.all(orgId), "overview"] as const,
  cluster: (orgId: string, clusterId: string) => [...syncKeys.all(orgId), "cluster", clusterId] as const,
};

/** Poll fast while a pass is queued or running, slowly otherwise. */
export function syncPollInterval(states: ReadonlyArray<"idle" | "queued" | "running">): number {
  return states.some((s) => s !== "idle") ? 1_000 : 15_000;
}

export { ActionFailure, unwrap } from "../result";

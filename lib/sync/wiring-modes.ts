/**
 * How pods of a cluster get imagePullSecrets (stored per cluster): `serviceaccount` patches ServiceAccounts,
 * `webhook` has an admission webhook add them to new Pods, `podtemplate` patches workload templates.
 * In the order the cluster dialog offers them.
 */
export const WiringModes = ["serviceaccount", "webhook", "podtemplate"] as const;
export type WiringMode = (typeof WiringModes)[number];

/** The modes the sync planner wires objects for: a webhook cluster's ServiceAccounts are wired as in serviceaccount mode. */
export type PlannedWiringMode = Exclude<WiringMode, "webhook">;

export function plannedWiringMode(mode: WiringMode): PlannedWiringMode {
  return mode === "webhook" ? "serviceaccount" : mode;
}

import type { WiringMode } from "../sync/wiring-modes";
import { WiringModes } from "../sync/wiring-modes";
import type { Permission } from "./schema";

/** The cluster settings that decide what Regcred sends to it. */
export type PermissionNeeds = { wiring: WiringMode; restartStuckPods: boolean };

type Grant = {
  verbs: string[];
  group: string;
  resources: string[];
  /** Checked in the cluster's own namespace (Regcred's leader-election lease lives there), not cluster-wide. */
  home?: true;
  /** The wiring modes whose passes send these requests; absent: every mode. */
  modes?: readonly WiringMode[];
  /** Sent only when the cluster restarts stuck pods. */
  restartStuckPods?: true;
  /** Sent only after the cluster left this mode, to remove what that mode wrote (no mode's steady state needs it). */
  cleanupOf?: WiringMode;
  why: string;
};

const TEMPLATES = ["deployments", "statefulsets", "daemonsets", "replicasets"];
const ADMISSION = "admissionregistration.k8s.io";

const grants: Grant[] = [
  {
    verbs: ["list", "watch"],
    group: "",
    resources: ["namespaces", "pods", "serviceaccounts"],
    why: "watch-fed cache",
  },
  { verbs: ["list", "watch"], group: "apps", resources: TEMPLATES, why: "watch-fed cache: images in use" },
  { verbs: ["list", "watch"], group: "batch", resources: ["jobs", "cronjobs"], why: "watch-fed cache: images in use" },
  {
    verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
    group: "",
    resources: ["secrets"],
    why: "pull secrets: read, write, mark unused, remove; secret_ref sources",
  },
  {
    verbs: ["patch"],
    group: "",
    resources: ["serviceaccounts"],
    why: "imagePullSecrets of ServiceAccounts (in podtemplate mode those of bare Pods and Jobs)",
  },
  {
    verbs: ["get", "create", "update"],
    group: "coordination.k8s.io",
    resources: ["leases"],
    home: true,
    why: "leader election",
  },
  {
    verbs: ["get"],
    group: ADMISSION,
    resources: ["mutatingwebhookconfigurations"],
    why: "every pass checks that the webhook is registered only in webhook mode",
  },
  {
    verbs: ["create", "update"],
    group: ADMISSION,
    resources: ["mutatingwebhookconfigurations"],
    modes: ["webhook"],
    why: "registers the admission webhook",
  },
  {
    verbs: ["delete"],
    group: ADMISSION,
    resources: ["mutatingwebhookconfigurations"],
    cleanupOf: "webhook",
    why: "removes the webhook after the cluster leaves webhook mode",
  },
  {
    verbs: ["patch"],
    group: "apps",
    resources: TEMPLATES,
    modes: ["podtemplate"],
    cleanupOf: "podtemplate",
    why: "imagePullSecrets of pod templates",
  },
  {
    verbs: ["patch"],
    group: "batch",
    resources: ["cronjobs"],
    modes: ["podtemplate"],
    cleanupOf: "podtemplate",
    why: "imagePullSecrets of pod templates",
  },
  { verbs: ["delete"], group: "", resources: ["pods"], restartStuckPods: true, why: "restarts stuck pods" },
];

/** Which modes and options a role should serve; `cleanup` adds what removing another mode's references takes. */
export type PermissionSelection = { modes: readonly WiringMode[]; restartStuckPods: boolean; cleanup: boolean };

/** Every mode, the stuck-pod option and the clean-up after a mode switch: what the Helm chart grants by default. */
export const EVERY_NEED: PermissionSelection = { modes: WiringModes, restartStuckPods: true, cleanup: true };

function selected(g: Grant, s: PermissionSelection): boolean {
  if (g.restartStuckPods && !s.restartStuckPods) return false;
  const steady = g.modes ? g.modes.some((m) => s.modes.includes(m)) : !g.cleanupOf;
  const cleanup = s.cleanup && g.cleanupOf !== undefined && s.modes.some((m) => m !== g.cleanupOf);
  return steady || cleanup;
}

function expand(g: Grant, homeNamespace: string): Permission[] {
  return g.resources.flatMap((resource) =>
    g.verbs.map((verb) => ({ verb, group: g.group, resource, ...(g.home ? { namespace: homeNamespace } : {}) })),
  );
}

/** The permissions a role serving `selection` needs, one entry per verb and resource. */
export function permissionsFor(homeNamespace: string, selection: PermissionSelection): Permission[] {
  return grants.filter((g) => selected(g, selection)).flatMap((g) => expand(g, homeNamespace));
}

/**
 * What a cluster with these settings needs for its passes (the connection test checks this); without `needs`,
 * every mode and option, clean-up included. Switching modes also needs the old mode's clean-up for one pass.
 */
export function requiredPermissions(homeNamespace: string, needs?: PermissionNeeds): Permission[] {
  return permissionsFor(
    homeNamespace,
    needs ? { modes: [needs.wiring], restartStuckPods: needs.restartStuckPods, cleanup: false } : EVERY_NEED,
  );
}

export type PolicyRule = { apiGroups: string[]; resources: string[]; verbs: string[] };

/** RBAC rules for `selection`: a ClusterRole's, and a Role's in the home namespace (leases); one rule per group and verb set. */
export function rbacRules(selection: PermissionSelection = EVERY_NEED): { cluster: PolicyRule[]; home: PolicyRule[] } {
  const rules = (home: boolean) => {
    const byResource = new Map<string, { group: string; resource: string; verbs: string[] }>();
    for (const p of permissionsFor("", selection).filter((p) => (p.namespace !== undefined) === home)) {
      const key = `${p.group}/${p.resource}`;
      const entry = byResource.get(key) ?? { group: p.group, resource: p.resource, verbs: [] };
      if (!entry.verbs.includes(p.verb)) entry.verbs.push(p.verb);
      byResource.set(key, entry);
    }
    const merged = new Map<string, PolicyRule>();
    for (const e of byResource.values()) {
      const key = `${e.group}|${e.verbs.join(",")}`;
      const rule = merged.get(key) ?? { apiGroups: [e.group], resources: [], verbs: e.verbs };
      rule.resources.push(e.resource);
      merged.set(key, rule);
    }
    return [...merged.values()];
  };
  return { cluster: rules(false), home: rules(true) };
}

/** "list namespaces", "create leases.coordination.k8s.io in regcred". */
export function describePermission(p: Permission): string {
  return `${p.verb} ${p.resource}${p.group ? `.${p.group}` : ""}${p.namespace ? ` in ${p.namespace}` : ""}`;
}

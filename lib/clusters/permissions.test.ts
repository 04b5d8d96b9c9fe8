import { describe, expect, it } from "vitest";
import { type KubeCall, type KubeMethod, kubeCalls } from "../integrations/kube/calls";
import { WiringModes, type WiringMode } from "../sync/wiring-modes";
import {
  describePermission,
  EVERY_NEED,
  type PermissionNeeds,
  permissionsFor,
  rbacRules,
  requiredPermissions,
} from "./permissions";
import type { Permission } from "./schema";

type Caller = { modes: readonly WiringMode[] | "all"; restartStuckPods?: true; cleanupOf?: WiringMode } | "test-only";

// Which settings make the code call each client method; the comment names the call site.
const callers: Record<KubeMethod, Caller> = {
  version: "test-only", // connection-test.ts
  whoAmI: "test-only",
  accessReview: "test-only",
  listNamespaces: { modes: "all" }, // controller/observe.ts, webhook/ensure.ts
  listSecrets: { modes: "all" }, // controller/observe.ts, secrets/inventory.ts
  getSecret: { modes: "all" }, // controller/apply.ts, webhook/ensure.ts, credential-checks/secret-ref.ts
  listServiceAccounts: { modes: "all" }, // controller/observe.ts
  listWorkloads: { modes: "all" }, // controller/observe.ts
  createSecret: { modes: "all" }, // controller/apply.ts, webhook/ensure.ts
  replaceSecret: { modes: "all" }, // controller/apply.ts
  annotateSecret: { modes: "all" },
  deleteSecret: { modes: "all" },
  patchServiceAccountPullSecrets: { modes: "all" }, // podtemplate: ServiceAccounts of bare Pods and Jobs
  patchWorkloadPullSecrets: { modes: ["podtemplate"], cleanupOf: "podtemplate" }, // sync/wiring.ts
  deletePod: { modes: "all", restartStuckPods: true }, // controller/stuck-pods.ts
  getLease: { modes: "all" }, // controller/lease.ts
  createLease: { modes: "all" },
  updateLease: { modes: "all" },
  collectionVersion: { modes: "all" },
  watch: { modes: "all" },
  informer: { modes: "all" }, // controller/cache.ts
  getMutatingWebhookConfiguration: { modes: "all" }, // webhook/registration.ts: unregisterWebhook reads it each pass
  createMutatingWebhookConfiguration: { modes: ["webhook"] },
  replaceMutatingWebhookConfiguration: { modes: ["webhook"] },
  applyMutatingWebhookConfiguration: { modes: ["webhook"] },
  deleteMutatingWebhookConfiguration: { modes: [], cleanupOf: "webhook" }, // unregisterWebhook after a switch
};

const key = (c: KubeCall & { namespace?: string }) =>
  `${c.verb} ${c.resource}.${c.group}${c.home || c.namespace ? " home" : ""}`;
const keysOf = (ps: Permission[]) => new Set(ps.map(key));
const settings: PermissionNeeds[] = WiringModes.flatMap((wiring) =>
  [false, true].map((restartStuckPods) => ({ wiring, restartStuckPods })),
);
const calledWith = (c: Caller, n: PermissionNeeds) =>
  c !== "test-only" && (c.modes === "all" || c.modes.includes(n.wiring)) && (!c.restartStuckPods || n.restartStuckPods);

describe("requiredPermissions", () => {
  it.each(settings)("covers every request the code sends, and nothing more: %o", (needs) => {
    const sent = Object.entries(kubeCalls).flatMap(([m, calls]) =>
      calledWith(callers[m as KubeMethod], needs) ? calls.map(key) : [],
    );
    expect([...keysOf(requiredPermissions("regcred", needs))].sort()).toEqual([...new Set(sent)].sort());
  });

  it("with every mode and option, covers the clean-up after a mode switch too", () => {
    const sent = Object.entries(kubeCalls).flatMap(([m, calls]) =>
      callers[m as KubeMethod] === "test-only" ? [] : calls.map(key),
    );
    expect([...keysOf(requiredPermissions("regcred"))].sort()).toEqual([...new Set(sent)].sort());
  });

  it("adds a mode's clean-up only to roles that serve another mode", () => {
    const webhookOnly = permissionsFor("r", { modes: ["webhook"], restartStuckPods: false, cleanup: true });
    expect(webhookOnly.map(describePermission)).not.toContain(
      "delete mutatingwebhookconfigurations.admissionregistration.k8s.io",
    );
    expect(webhookOnly.map(describePermission)).toContain("patch deployments.apps");
    const saOnly = permissionsFor("r", { modes: ["serviceaccount"], restartStuckPods: false, cleanup: true });
    expect(saOnly.map(describePermission)).toContain(
      "delete mutatingwebhookconfigurations.admissionregistration.k8s.io",
    );
  });

  it("needs no permission for the self-reviews of the connection test (every authenticated user may create them)", () => {
    const reviews = [...kubeCalls.whoAmI, ...kubeCalls.accessReview].map((c) => c.resource);
    expect(reviews).toEqual(["selfsubjectreviews", "selfsubjectaccessreviews"]);
    expect(requiredPermissions("r").filter((p) => reviews.includes(p.resource))).toEqual([]);
  });
});

describe("rbacRules", () => {
  it("renders the full list as a ClusterRole and a Role for the lease, verb by verb", () => {
    const { cluster, home } = rbacRules();
    expect(home).toEqual([
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update"] },
    ]);
    const granted = cluster.flatMap((r) =>
      r.resources.flatMap((resource) => r.verbs.map((verb) => `${verb} ${resource}.${r.apiGroups[0]}`)),
    );
    expect(granted.sort()).toEqual(
      [...keysOf(permissionsFor("x", EVERY_NEED))].filter((k) => !k.endsWith(" home")).sort(),
    );
    expect(cluster).toContainEqual({ apiGroups: [""], resources: ["pods"], verbs: ["list", "watch", "delete"] });
  });
});

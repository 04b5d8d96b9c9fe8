import { IGNORE_LABEL, type NamespaceScope, parseLabelSelector, type Requirement } from "@/lib/clusters/scope";
import type { LabelSelectorRequirement, MutatingWebhookConfigurationWrite } from "@/lib/integrations/kube/admission";
import { CLUSTER_ID_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE, NAMESPACE_NAME_LABEL } from "@/lib/sync/labels";
import { type Owner, ownerLabels } from "@/lib/sync/ownership";

export const WEBHOOK_TIMEOUT_SECONDS = 10;

export function webhookConfigurationName(clusterId: string): string {
  return `regcred-${clusterId.replace(/-/g, "").slice(0, 12)}`;
}

export function mutatePath(clusterId: string): string {
  return `/mutate/${clusterId}`;
}

// `>` and `<` have no matchExpressions form: such namespaces are let through here and decided by the webhook itself.
function toExpression(r: Requirement): LabelSelectorRequirement | null {
  switch (r.op) {
    case "exists":
      return { key: r.key, operator: "Exists" };
    case "!exists":
      return { key: r.key, operator: "DoesNotExist" };
    case "=":
      return { key: r.key, operator: "In", values: [r.value] };
    case "!=":
      return { key: r.key, operator: "NotIn", values: [r.value] };
    case "in":
      return { key: r.key, operator: "In", values: r.values };
    case "notin":
      return { key: r.key, operator: "NotIn", values: r.values };
    default:
      return null;
  }
}

/** The cluster's scope as a namespaceSelector: excluded names, the opt-out label, and the namespace selector. */
export function namespaceSelectorFor(scope: NamespaceScope): { matchExpressions: LabelSelectorRequirement[] } {
  const expressions: LabelSelectorRequirement[] = [];
  if (scope.excludeNamespaces.length > 0)
    expressions.push({ key: NAMESPACE_NAME_LABEL, operator: "NotIn", values: [...scope.excludeNamespaces].sort() });
  expressions.push({ key: IGNORE_LABEL, operator: "NotIn", values: ["true"] });
  const parsed = parseLabelSelector(scope.namespaceSelector ?? "");
  // An unparseable stored selector selects nothing (as in decideNamespace).
  if (!parsed.ok) expressions.push({ key: NAMESPACE_NAME_LABEL, operator: "In", values: ["regcred-invalid-selector"] });
  else expressions.push(...parsed.requirements.flatMap((r) => toExpression(r) ?? []));
  return { matchExpressions: expressions };
}

export type WebhookEndpoint = {
  /** Base URL the API server calls, without the path. */
  url: string;
  /** PEM of the CA that signed the serving certificate. */
  caPem: string;
};

/** The MutatingWebhookConfiguration for one cluster: CREATE of Pods, never failing admission, dry-run aware. */
export function buildWebhookConfiguration(
  clusterId: string,
  scope: NamespaceScope,
  endpoint: WebhookEndpoint,
  owner: Owner,
): MutatingWebhookConfigurationWrite {
  return {
    name: webhookConfigurationName(clusterId),
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [CLUSTER_ID_LABEL]: clusterId, ...ownerLabels(owner) },
    webhooks: [
      {
        name: "pods.regcred.dev",
        clientConfig: {
          url: `${endpoint.url.replace(/\/+$/, "")}${mutatePath(clusterId)}`,
          caBundle: Buffer.from(endpoint.caPem).toString("base64"),
        },
        rules: [
          { operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"], scope: "Namespaced" },
        ],
        namespaceSelector: namespaceSelectorFor(scope),
        objectSelector: {},
        sideEffects: "NoneOnDryRun",
        admissionReviewVersions: ["v1"],
        timeoutSeconds: WEBHOOK_TIMEOUT_SECONDS,
        failurePolicy: "Ignore",
        reinvocationPolicy: "IfNeeded",
        matchPolicy: "Equivalent",
      },
    ],
  };
}

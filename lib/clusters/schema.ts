import { z } from "zod";
import { typeError } from "../validation";
import { registryKeyPattern, registryKeyProblem } from "../images/registry-key";
import { ExclusionReasons, parseLabelSelector, type ScopedNamespaces as Scoped } from "./scope";
import { WiringModes } from "../sync/wiring-modes";
import { WebhookAuthMode } from "./webhook-auth";

export const AuthKinds = ["client-certificate", "token", "basic", "in-cluster"] as const;
export type AuthKind = (typeof AuthKinds)[number];

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const ClusterName = z
  .string({ error: typeError("Name", "text") })
  .min(1, "Name is required")
  .max(253, "Name must be at most 253 characters")
  .regex(
    dns1123Subdomain,
    "Name can only use lowercase letters, digits, '-' and '.', and must start and end with a letter or digit",
  )
  .refine((v) => v !== "*", "Name cannot be *: it stands for every cluster");

export const NamespaceSelector = z
  .string({ error: typeError("Label selector", "text") })
  .max(1024, "Label selector must be at most 1024 characters")
  .superRefine((v, ctx) => {
    const parsed = parseLabelSelector(v);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: `Label selector is not valid: ${parsed.message}` });
  });

/** A list of namespace names; `label` names the list in the messages, and a bad entry is quoted. */
const namespaceList = (label: string, max: number) =>
  z
    .array(
      z
        .string({ error: `${label} must be a list of namespace names` })
        .max(63, { error: (i) => `${label}: "${String(i.input)}" is longer than 63 characters` })
        .regex(dns1123Label, {
          error: (i) =>
            `${label}: "${String(i.input)}" is not a namespace name (lowercase letters, digits and hyphens)`,
        }),
      { error: `${label} must be a list of namespace names` },
    )
    .max(max, `${label} can hold at most ${max} namespaces`);

export const ExcludeNamespaces = namespaceList("Excluded namespaces", 500);

const Kubeconfig = z
  .string({ error: typeError("Kubeconfig", "YAML or JSON text") })
  .min(1, "Kubeconfig is required")
  .max(256 * 1024, "Kubeconfig must be at most 256 KiB");
const ContextName = z
  .string({ error: typeError("Context", "text") })
  .min(1, "Context is required")
  .max(253, "Context must be at most 253 characters");

export { WiringModes };
export const WiringMode = z.enum(WiringModes, { error: typeError("Wiring", `one of ${WiringModes.join(", ")}`) });
export type WiringMode = z.infer<typeof WiringMode>;

export const wiringModeLabels: Record<WiringMode, { label: string; explanation: string }> = {
  serviceaccount: {
    label: "ServiceAccounts (default)",
    explanation: "Patches the ServiceAccounts that matching workloads use; new Pods get the secret from them.",
  },
  webhook: {
    label: "Admission webhook",
    explanation: "An admission webhook adds imagePullSecrets to new Pods as they are created.",
  },
  podtemplate: {
    label: "Pod templates",
    explanation: "Patches workload pod templates, which rolls the workloads out.",
  },
};

const labelName = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A namespace label key (`[prefix/]name`) whose value becomes the secrets' environment label. */
export const EnvironmentLabel = z
  .string({ error: typeError("Environment label", "text") })
  .trim()
  .min(1, "Environment label must not be empty")
  .max(317, "Environment label must be at most 317 characters")
  .superRefine((v, ctx) => {
    const slash = v.lastIndexOf("/");
    const [prefix, name] = slash >= 0 ? [v.slice(0, slash), v.slice(slash + 1)] : [null, v];
    if (prefix !== null && (prefix.length > 253 || !dns1123Subdomain.test(prefix)))
      ctx.addIssue({
        code: "custom",
        message: "Environment label needs a domain before '/', such as example.com/env",
      });
    else if (name.length > 63 || !labelName.test(name))
      ctx.addIssue({
        code: "custom",
        message:
          "Environment label must be a label key: up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
      });
  });

const NodeCredentialImages = z
  .array(
    z
      .string({ error: typeError("Node credential image", "text") })
      .trim()
      .min(1, "Node credential images must not hold an empty entry")
      .max(255, "Node credential images: each entry must be at most 255 characters")
      .superRefine((glob, ctx) => {
        if (registryKeyProblem(glob) === null && registryKeyPattern.test(glob)) return;
        ctx.addIssue({
          code: "custom",
          message: `Node credential images: "${glob}" is not a matchImages glob such as *.dkr.ecr.*.amazonaws.com or registry.example.com/team`,
        });
      }),
    { error: typeError("Node credential images (node_credential_images)", "a list of image globs") },
  )
  .max(50, "Node credential images must hold at most 50 entries");

const RestartStuckPods = z.boolean({ error: typeError("Restart stuck pods (restart_stuck_pods)", "true or false") });

const wiringFields = {
  wiring: WiringMode.optional().describe(
    "how pods get imagePullSecrets: serviceaccount (default) patches ServiceAccounts; webhook has an admission webhook add them to new Pods; podtemplate patches workload templates, which rolls them out",
  ),
  environment_label: EnvironmentLabel.nullable()
    .optional()
    .describe("a namespace label key whose value becomes the secrets' environment label (null: <cluster>.<namespace>)"),
  restart_stuck_pods: RestartStuckPods.optional().describe(
    "delete controller-owned Pods stuck in ImagePullBackOff/ErrImagePull once their secret exists (default false; bare Pods are only reported)",
  ),
  node_credential_images: NodeCredentialImages.optional().describe(
    "image globs (kubelet CredentialProvider matchImages syntax, e.g. *.dkr.ecr.*.amazonaws.com) whose pulls the nodes authenticate themselves; readiness reports their images as unknown, never will_fail",
  ),
};

export const SecretRefNamespaces = namespaceList("secret_ref source namespaces", 100);

/** Admin decisions about what crosses into and out of the cluster: secret_ref sources, who may call the webhook. */
const securityFields = {
  secret_ref_namespaces: SecretRefNamespaces.optional().describe(
    "namespaces secret_ref registries may copy source secrets from in this cluster (default empty: secret_ref copies nothing until an admin allows a namespace)",
  ),
  webhook_auth: WebhookAuthMode.optional().describe(
    "how the admission webhook authenticates the API server: token (default when a cluster switches to webhook wiring; generated, shown once), mtls (client certificate signed by webhook_client_ca) or none (managed clusters whose API server cannot present credentials; reviews are not trusted)",
  ),
  webhook_client_ca: z
    .string({ error: typeError("Client CA", "PEM text") })
    .max(64 * 1024, "Client CA must be at most 64 KiB")
    .nullable()
    .optional()
    .describe("PEM CA certificate(s) that sign the API server's webhook client certificate (required for mtls)"),
  rotate_webhook_token: z
    .boolean({ error: typeError("New webhook token (rotate_webhook_token)", "true or false") })
    .optional()
    .describe("true: generate a new webhook token (webhook_auth token); the response carries it once"),
};

const scopeFields = {
  namespace_selector: NamespaceSelector.nullable().optional(),
  exclude_namespaces: ExcludeNamespaces.optional(),
};

/** POST /clusters. */
export const ClusterCreate = z.strictObject({
  name: ClusterName,
  kubeconfig: Kubeconfig,
  context: ContextName.optional(),
  ...scopeFields,
  ...wiringFields,
  ...securityFields,
});
export type ClusterCreate = z.infer<typeof ClusterCreate>;

/** PATCH /clusters/{id}: any subset; `context` only together with a new `kubeconfig`. */
export const ClusterPatch = z.strictObject({
  name: ClusterName.optional(),
  kubeconfig: Kubeconfig.optional(),
  context: ContextName.optional(),
  ...scopeFields,
  ...wiringFields,
  ...securityFields,
});
export type ClusterPatch = z.infer<typeof ClusterPatch>;

/** POST /clusters/import: a context from the KUBECONFIG the server started with. */
export const ClusterImport = z.strictObject({ context: ContextName, name: ClusterName.optional(), ...scopeFields });
export type ClusterImport = z.infer<typeof ClusterImport>;

export const KubeconfigInspect = z.strictObject({ kubeconfig: Kubeconfig });

export const ClusterTestStatuses = ["ok", "degraded", "unreachable", "unauthorized"] as const;
export type ClusterTestStatus = (typeof ClusterTestStatuses)[number];

export const Permission = z.object({
  verb: z.string(),
  group: z.string(),
  resource: z.string(),
  namespace: z.string().optional(),
});
export type Permission = z.infer<typeof Permission>;

export const ClusterTestResult = z.object({
  status: z.enum(ClusterTestStatuses),
  version: z.string().nullable(),
  user: z.string().nullable(),
  missing: z.array(Permission),
  steps: z.array(
    z.object({
      step: z.enum(["version", "authenticate", "permissions"]),
      ok: z.boolean(),
      ms: z.number(),
      detail: z.string(),
    }),
  ),
  summary: z.string(),
  tested_at: z.string(),
});
export type ClusterTestResult = z.infer<typeof ClusterTestResult>;

export const ClusterScope = z.object({
  namespace_selector: z.string().nullable(),
  exclude_namespaces: z.array(z.string()),
  ignore_label: z.string().describe("a namespace with this label set to true is left alone"),
  description: z.string(),
});

/** What the API and the UI see: connection facts, never credentials. */
export const ClusterResponse = z.object({
  id: z.string(),
  name: z.string(),
  source: z.enum(["kubeconfig", "in-cluster"]),
  server: z.string(),
  context: z.string(),
  auth_kind: z.enum(AuthKinds),
  insecure_skip_tls_verify: z.boolean(),
  default_namespace: z.string().nullable(),
  scope: ClusterScope,
  wiring: WiringMode.describe("how pods get imagePullSecrets: serviceaccount (default), webhook or podtemplate"),
  environment_label: z
    .string()
    .nullable()
    .describe("namespace label key whose value becomes the secrets' environment label; null: <cluster>.<namespace>"),
  restart_stuck_pods: z
    .boolean()
    .describe("delete controller-owned Pods stuck in ImagePullBackOff once their secret exists"),
  node_credential_images: z
    .array(z.string())
    .describe("image globs the nodes pull with their own kubelet credential provider"),
  secret_ref_namespaces: z.array(z.string()).describe("namespaces secret_ref registries may copy from in this cluster"),
  webhook_auth: WebhookAuthMode.describe(
    "how the admission webhook authenticates this cluster's API server: token, mtls or none",
  ),
  webhook_client_ca: z
    .string()
    .nullable()
    .describe("mtls: the CA certificate(s) that sign the API server's client certificate"),
  webhook_token_set: z.boolean().describe("a webhook token is stored (its value is only ever shown once)"),
  webhook_token: z
    .string()
    .optional()
    .describe(
      "only in the response that generated it: the bearer token the API server presents to the webhook; store it in its AdmissionConfiguration kubeconfig",
    ),
  last_test: z
    .object({
      status: z.enum(ClusterTestStatuses),
      version: z.string().nullable(),
      summary: z.string(),
      missing: z.array(Permission),
      tested_at: z.string(),
    })
    .nullable(),
  created_at: z.string(),
  created_by: z.string(),
  updated_at: z.string(),
});
export type ClusterResponse = z.infer<typeof ClusterResponse>;

/** A context as shown to people: no credential values, only what kind they are and what is wrong. */
export const KubeconfigContext = z.object({
  name: z.string(),
  cluster: z.string(),
  user: z.string(),
  server: z.string().nullable(),
  namespace: z.string().nullable(),
  authKind: z.enum(AuthKinds).nullable(),
  insecureSkipTlsVerify: z.boolean(),
  problem: z
    .string()
    .nullable()
    .describe("why Regcred cannot use this context (exec plugin, file reference, missing data…), or null"),
});
export type KubeconfigContext = z.infer<typeof KubeconfigContext>;

/** POST /clusters/inspect. */
export const KubeconfigSummary = z.object({
  currentContext: z.string().nullable(),
  contexts: z.array(KubeconfigContext),
});
export type KubeconfigSummary = z.infer<typeof KubeconfigSummary>;

/** GET /clusters/importable: contexts of the KUBECONFIG the server started with. */
export const ImportableContext = KubeconfigContext.extend({
  suggestedName: z.string(),
  addedAs: z.string().nullable().describe("the name of the cluster already added from this context, or null"),
});
export type ImportableContext = z.infer<typeof ImportableContext>;
export const ImportableContexts = z.object({ files: z.array(z.string()), contexts: z.array(ImportableContext) });
export type ImportableContexts = z.infer<typeof ImportableContexts>;

/** GET /clusters/{id}/namespaces: the namespaces Regcred manages, and why the others are left alone. */
export const ScopedNamespaces = z.object({
  included: z.array(z.string()),
  excluded: z.array(z.object({ name: z.string(), reason: z.enum(ExclusionReasons) })),
}) satisfies z.ZodType<Scoped>;

export const authKindLabels: Record<(typeof AuthKinds)[number], string> = {
  "client-certificate": "Client certificate",
  token: "Bearer token",
  basic: "Username and password",
  "in-cluster": "In-cluster service account",
};

/** A valid cluster name derived from a context name such as `admin@prod-eu` → `admin-prod-eu`. */
export function suggestClusterName(context: string): string {
  const cleaned = context
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/-*\.-*/g, ".")
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "")
    .slice(0, 253)
    .replace(/[^a-z0-9]+$/, "");
  return cleaned || "cluster";
}

import type { z } from "zod";
import type { FieldErrors } from "../errors";
import { fieldErrorsOf } from "../validation";
import { ClusterCreate, ClusterPatch, type ClusterResponse, type WiringMode } from "./schema";
import { DEFAULT_EXCLUDED_NAMESPACES } from "./scope";
import type { WebhookAuthMode } from "./webhook-auth";

export type ClusterFormValues = {
  name: string;
  nameEdited: boolean;
  kubeconfig: string;
  context: string;
  scopeMode: "all" | "selector";
  selector: string;
  exclude: string;
  wiring: WiringMode;
  environmentLabel: string;
  restartStuckPods: boolean;
  /** kubelet credential-provider matchImages globs, separated by spaces or commas */
  nodeCredentialImages: string;
  secretRefNamespaces: string;
  /** Sent only with webhook wiring; token is the default for a cluster not yet in webhook mode. */
  webhookAuth: WebhookAuthMode;
  webhookClientCa: string;
  rotateWebhookToken: boolean;
};

export function emptyClusterForm(): ClusterFormValues {
  return {
    name: "",
    nameEdited: false,
    kubeconfig: "",
    context: "",
    scopeMode: "all",
    selector: "",
    exclude: DEFAULT_EXCLUDED_NAMESPACES.join(", "),
    wiring: "serviceaccount",
    environmentLabel: "",
    restartStuckPods: false,
    nodeCredentialImages: "",
    secretRefNamespaces: "",
    webhookAuth: "token",
    webhookClientCa: "",
    rotateWebhookToken: false,
  };
}

export function clusterFormFrom(c: ClusterResponse): ClusterFormValues {
  const selector = c.scope.namespace_selector ?? "";
  return {
    ...emptyClusterForm(),
    name: c.name,
    nameEdited: true,
    scopeMode: selector ? "selector" : "all",
    selector,
    exclude: c.scope.exclude_namespaces.join(", "),
    wiring: c.wiring,
    environmentLabel: c.environment_label ?? "",
    restartStuckPods: c.restart_stuck_pods,
    nodeCredentialImages: c.node_credential_images.join(", "),
    secretRefNamespaces: c.secret_ref_namespaces.join(", "),
    webhookAuth: c.wiring === "webhook" ? c.webhook_auth : "token",
    webhookClientCa: c.webhook_client_ca ?? "",
  };
}

export function splitNamespaces(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export type ClusterCreateBody = z.input<typeof ClusterCreate>;
export type ClusterPatchBody = z.input<typeof ClusterPatch>;

/** The REST body for the form; in edit mode the kubeconfig is only sent when a new one was pasted. */
export function toClusterBody(v: ClusterFormValues, mode: "create"): ClusterCreateBody;
export function toClusterBody(v: ClusterFormValues, mode: "edit"): ClusterPatchBody;
export function toClusterBody(v: ClusterFormValues, mode: "create" | "edit"): ClusterCreateBody | ClusterPatchBody;
export function toClusterBody(v: ClusterFormValues, mode: "create" | "edit"): ClusterCreateBody | ClusterPatchBody {
  const body: ClusterPatchBody = {
    name: v.name.trim(),
    namespace_selector: v.scopeMode === "selector" ? v.selector.trim() : null,
    exclude_namespaces: splitNamespaces(v.exclude),
    wiring: v.wiring,
    environment_label: v.environmentLabel.trim() || null,
    restart_stuck_pods: v.restartStuckPods,
    node_credential_images: splitNamespaces(v.nodeCredentialImages),
    secret_ref_namespaces: splitNamespaces(v.secretRefNamespaces),
  };
  if (v.wiring === "webhook") {
    body.webhook_auth = v.webhookAuth;
    if (v.webhookAuth === "mtls") body.webhook_client_ca = v.webhookClientCa;
    if (v.webhookAuth === "token" && v.rotateWebhookToken) body.rotate_webhook_token = true;
  }
  const connection = v.context ? { kubeconfig: v.kubeconfig, context: v.context } : { kubeconfig: v.kubeconfig };
  if (mode === "create") return { ...body, name: v.name.trim(), ...connection };
  return v.kubeconfig.trim() ? { ...body, ...connection } : body;
}

/** Same checks as the server, so errors show next to fields before submitting. */
export function validateClusterForm(v: ClusterFormValues, mode: "create" | "edit"): FieldErrors {
  const parsed = (mode === "create" ? ClusterCreate : ClusterPatch).safeParse(toClusterBody(v, mode));
  const errors = parsed.success ? {} : fieldErrorsOf(parsed.error);
  if (v.scopeMode === "selector" && !v.selector.trim())
    errors.namespace_selector ??= "Label selector is required when scoping by label";
  if (v.wiring === "webhook" && v.webhookAuth === "mtls" && !v.webhookClientCa.trim())
    errors.webhook_client_ca ??= "Client CA is required for client-certificate (mTLS) authentication";
  return errors;
}

/** `base`, or `base-2`, `base-3`… : the first that no cluster in `taken` is named (a name is at most 253 characters). */
export function uniqueClusterName(base: string, taken: readonly string[]): string {
  const names = new Set(taken);
  if (!names.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const name = `${base.slice(0, 253 - suffix.length).replace(/[^a-z0-9]+$/, "")}${suffix}`;
    if (!names.has(name)) return name;
  }
}

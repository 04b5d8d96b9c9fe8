import type { LocalObjectReference, Pod, PodSpec } from "@/lib/integrations/kube/workloads";

/** The parts of an admission.k8s.io/v1 AdmissionRequest the webhook reads. */
export type PodAdmission = {
  uid: string;
  namespace: string;
  operation: string;
  dryRun: boolean;
  /** null when the request is not for a Pod (or carries no object). */
  pod: Pod | null;
};

export type ParsedReview = { ok: true; request: PodAdmission } | { ok: false; reason: string };
export type JsonPatchOp = { op: "add"; path: string; value: unknown };
export type AdmissionReviewResponse = {
  apiVersion: "admission.k8s.io/v1";
  kind: "AdmissionReview";
  response: { uid: string; allowed: true; patchType?: "JSONPatch"; patch?: string; warnings?: string[] };
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function containersOf(v: unknown): Array<{ name: string; image?: string }> {
  if (!Array.isArray(v)) return [];
  return v
    .filter(isObject)
    .map((c) => ({ name: String(c.name ?? ""), image: typeof c.image === "string" ? c.image : undefined }));
}

function refsOf(v: unknown): LocalObjectReference[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map((r) => (isObject(r) && typeof r.name === "string" ? { name: r.name } : {}));
}

function podOf(object: unknown, namespace: string): Pod | null {
  if (!isObject(object) || !isObject(object.spec)) return null;
  const meta = isObject(object.metadata) ? object.metadata : {};
  const s = object.spec;
  const spec: PodSpec = {
    serviceAccountName: typeof s.serviceAccountName === "string" ? s.serviceAccountName : undefined,
    containers: containersOf(s.containers),
    initContainers: containersOf(s.initContainers),
    ephemeralContainers: containersOf(s.ephemeralContainers),
    imagePullSecrets: refsOf(s.imagePullSecrets),
  };
  const name =
    typeof meta.name === "string" && meta.name
      ? meta.name
      : typeof meta.generateName === "string"
        ? `${meta.generateName}*`
        : "";
  return { kind: "Pod", metadata: { name, namespace }, spec };
}

/** Reads an AdmissionReview body; only `request.uid` is required, everything else degrades to "no pod". */
export function parseAdmissionReview(body: unknown): ParsedReview {
  if (!isObject(body) || body.kind !== "AdmissionReview" || !isObject(body.request))
    return { ok: false, reason: "not an AdmissionReview" };
  if (body.apiVersion !== "admission.k8s.io/v1") return { ok: false, reason: "only admission.k8s.io/v1 is supported" };
  const r = body.request;
  if (typeof r.uid !== "string" || r.uid === "") return { ok: false, reason: "request.uid is missing" };
  const namespace = typeof r.namespace === "string" ? r.namespace : "";
  const kind = isObject(r.kind) ? r.kind : {};
  const isPod = kind.kind === "Pod" && (kind.group ?? "") === "" && !r.subResource;
  return {
    ok: true,
    request: {
      uid: r.uid,
      namespace,
      operation: String(r.operation ?? ""),
      dryRun: r.dryRun === true,
      pod: isPod && namespace ? podOf(r.object, namespace) : null,
    },
  };
}

/** JSONPatch ops adding `names` the pod does not list yet; existing entries stay as they are. */
export function pullSecretPatch(
  spec: Pick<PodSpec, "imagePullSecrets">,
  names: readonly string[],
): { ops: JsonPatchOp[]; added: string[] } {
  const listed = new Set((spec.imagePullSecrets ?? []).map((r) => r.name));
  const added = [...new Set(names)].filter((n) => !listed.has(n));
  if (added.length === 0) return { ops: [], added };
  // "add" on /spec/imagePullSecrets would replace an existing list, so entries are appended one by one to it.
  if (spec.imagePullSecrets === undefined)
    return { ops: [{ op: "add", path: "/spec/imagePullSecrets", value: added.map((name) => ({ name })) }], added };
  return { ops: added.map((name) => ({ op: "add", path: "/spec/imagePullSecrets/-", value: { name } })), added };
}

/** Always allowed: the webhook adds references but never rejects a pod. */
export function admissionResponse(
  uid: string,
  ops: readonly JsonPatchOp[] = [],
  warnings: readonly string[] = [],
): AdmissionReviewResponse {
  const response: AdmissionReviewResponse["response"] = { uid, allowed: true };
  if (ops.length > 0) {
    response.patchType = "JSONPatch";
    response.patch = Buffer.from(JSON.stringify(ops)).toString("base64");
  }
  if (warnings.length > 0) response.warnings = warnings.map((w) => w.slice(0, 256));
  return { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response };
}

import "server-only";
import { DEFAULT_TIMEOUT_MS, loadConfig, resultRunner } from "./config";
import type { Runner } from "./lists";
import { type RawSender, rawSender } from "./raw";
import type { KubeConnectConfig, KubeResult, Precondition } from "./types";

const PREFIX = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";

export type LabelSelectorRequirement = {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
};
export type LabelSelector = { matchLabels?: Record<string, string>; matchExpressions?: LabelSelectorRequirement[] };
export type RuleWithOperations = {
  operations: string[];
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  scope?: "Cluster" | "Namespaced" | "*";
};

/** One webhook of a MutatingWebhookConfiguration (admissionregistration.k8s.io/v1), as sent and as read back. */
export type MutatingWebhook = {
  name: string;
  /** `caBundle` is base64 of the PEM bundle, as the API stores it. */
  clientConfig: {
    url?: string;
    caBundle?: string;
    service?: { namespace: string; name: string; path?: string; port?: number };
  };
  rules: RuleWithOperations[];
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  sideEffects: "None" | "NoneOnDryRun";
  admissionReviewVersions: string[];
  timeoutSeconds?: number;
  failurePolicy?: "Ignore" | "Fail";
  reinvocationPolicy?: "Never" | "IfNeeded";
  matchPolicy?: "Exact" | "Equivalent";
};

export type MutatingWebhookConfigurationWrite = {
  name: string;
  labels: Record<string, string>;
  webhooks: MutatingWebhook[];
};
export type KubeMutatingWebhookConfiguration = MutatingWebhookConfigurationWrite & { resourceVersion: string | null };
export type ApplyOutcome = "created" | "updated" | "unchanged";

/** MutatingWebhookConfiguration calls; every method resolves to a value and never throws. */
export type AdmissionMethods = {
  getMutatingWebhookConfiguration(name: string): Promise<KubeResult<KubeMutatingWebhookConfiguration>>;
  createMutatingWebhookConfiguration(
    config: MutatingWebhookConfigurationWrite,
  ): Promise<KubeResult<KubeMutatingWebhookConfiguration>>;
  /** PUT; the API requires the resourceVersion read before (no unconditional updates for this kind). */
  replaceMutatingWebhookConfiguration(
    config: MutatingWebhookConfigurationWrite,
    pre: Precondition,
  ): Promise<KubeResult<KubeMutatingWebhookConfiguration>>;
  /** `not-found` is reported as such; the caller decides whether it matters. */
  deleteMutatingWebhookConfiguration(name: string): Promise<KubeResult<void>>;
  /** Create, or replace when the stored labels or webhooks differ; idempotent, retried once on a write conflict. */
  applyMutatingWebhookConfiguration(config: MutatingWebhookConfigurationWrite): Promise<KubeResult<ApplyOutcome>>;
};

type Wire = {
  metadata?: { name?: string; labels?: Record<string, string>; resourceVersion?: string };
  webhooks?: MutatingWebhook[];
};

const toConfig = (w: Wire): KubeMutatingWebhookConfiguration => ({
  name: w.metadata?.name ?? "",
  labels: w.metadata?.labels ?? {},
  webhooks: w.webhooks ?? [],
  resourceVersion: w.metadata?.resourceVersion ?? null,
});

function body(c: MutatingWebhookConfigurationWrite, pre?: Precondition) {
  const metadata = {
    name: c.name,
    labels: c.labels,
    ...(pre?.resourceVersion ? { resourceVersion: pre.resourceVersion } : {}),
  };
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "MutatingWebhookConfiguration",
    metadata,
    webhooks: c.webhooks,
  };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Compares only what the caller sets, so server-side defaults of fields left out do not count as a difference. */
export function sameConfiguration(
  stored: MutatingWebhookConfigurationWrite,
  wanted: MutatingWebhookConfigurationWrite,
): boolean {
  const labelsMatch = Object.entries(wanted.labels).every(([k, v]) => stored.labels[k] === v);
  const pick = (have: MutatingWebhook, w: MutatingWebhook) =>
    Object.fromEntries(Object.keys(w).map((k) => [k, have[k as keyof MutatingWebhook]]));
  return (
    labelsMatch &&
    stored.webhooks.length === wanted.webhooks.length &&
    wanted.webhooks.every((w, i) => canonical(pick(stored.webhooks[i]!, w)) === canonical(w))
  );
}

export function admissionMethods(send: RawSender, run: Runner): AdmissionMethods {
  const path = (name?: string) => (name ? `${PREFIX}/${encodeURIComponent(name)}` : PREFIX);
  const methods: AdmissionMethods = {
    getMutatingWebhookConfiguration: (name) =>
      run(async () => toConfig(await send<Wire>({ method: "GET", path: path(name) }))),
    createMutatingWebhookConfiguration: (c) =>
      run(async () => toConfig(await send<Wire>({ method: "POST", path: path(), body: body(c) }))),
    replaceMutatingWebhookConfiguration: (c, pre) =>
      run(async () => toConfig(await send<Wire>({ method: "PUT", path: path(c.name), body: body(c, pre) }))),
    deleteMutatingWebhookConfiguration: (name) =>
      run(async () => {
        await send({ method: "DELETE", path: path(name), body: { apiVersion: "v1", kind: "DeleteOptions" } });
      }),
    applyMutatingWebhookConfiguration: async (c) => {
      for (let attempt = 0; ; attempt++) {
        const read = await methods.getMutatingWebhookConfiguration(c.name);
        if (!read.ok && read.error.kind !== "not-found") return read;
        const written = read.ok
          ? sameConfiguration(read.value, c)
            ? null
            : await methods.replaceMutatingWebhookConfiguration(c, { resourceVersion: read.value.resourceVersion })
          : await methods.createMutatingWebhookConfiguration(c);
        if (written === null) return { ok: true, value: "unchanged" };
        if (written.ok) return { ok: true, value: read.ok ? "updated" : "created" };
        if (written.error.kind !== "conflict" || attempt >= 1) return written;
      }
    },
  };
  return methods;
}

/**
 * Admission-registration calls for one cluster, with the same connection rules as connect().
 * (Once KubeClient spreads admissionMethods(send, run) in client.ts, callers can use that instead.)
 */
export function connectAdmission(config: KubeConnectConfig, opts: { timeoutMs?: number } = {}): AdmissionMethods {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const run: Runner = resultRunner(timeoutMs);
  const kc = loadConfig(config);
  if (typeof kc === "string") {
    const fail = async () => ({ ok: false as const, error: { kind: "invalid" as const, message: kc } });
    return {
      getMutatingWebhookConfiguration: fail,
      createMutatingWebhookConfiguration: fail,
      replaceMutatingWebhookConfiguration: fail,
      deleteMutatingWebhookConfiguration: fail,
      applyMutatingWebhookConfiguration: fail,
    };
  }
  return admissionMethods(rawSender(kc, kc.getCurrentCluster()!.server, timeoutMs), run);
}

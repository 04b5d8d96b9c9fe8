import "server-only";
import type {
  V1Container,
  V1ContainerStatus,
  V1Lease,
  V1Namespace,
  V1ObjectMeta,
  V1PodSpec,
  V1PodStatus,
  V1Secret,
  V1ServiceAccount,
} from "@kubernetes/client-node";
import type {
  Container,
  ContainerStatus,
  ObjectMeta,
  PodSpec,
  PodStatus,
  PodTemplateSpec,
  Workload,
} from "./workloads";
import type { KubeLease, KubeNamespace, KubeSecret, KubeServiceAccount } from "./types";

const iso = (d: Date | string | undefined | null) => (d ? new Date(d).toISOString() : null);

export function toNamespace(ns: V1Namespace): KubeNamespace {
  return {
    name: ns.metadata?.name ?? "",
    labels: ns.metadata?.labels ?? {},
    phase: ns.status?.phase ?? null,
    createdAt: iso(ns.metadata?.creationTimestamp),
  };
}

export function toSecret(s: V1Secret): KubeSecret {
  return {
    namespace: s.metadata?.namespace ?? "",
    name: s.metadata?.name ?? "",
    type: s.type ?? "Opaque",
    labels: s.metadata?.labels ?? {},
    annotations: s.metadata?.annotations ?? {},
    data: s.data ?? {},
    resourceVersion: s.metadata?.resourceVersion ?? null,
    createdAt: iso(s.metadata?.creationTimestamp),
  };
}

export function toServiceAccount(sa: V1ServiceAccount): KubeServiceAccount {
  return {
    namespace: sa.metadata?.namespace ?? "",
    name: sa.metadata?.name ?? "",
    imagePullSecrets: (sa.imagePullSecrets ?? []).map((r) => r.name ?? ""),
    resourceVersion: sa.metadata?.resourceVersion ?? null,
    annotations: sa.metadata?.annotations ?? {},
  };
}

export function toLease(l: V1Lease): KubeLease {
  return {
    namespace: l.metadata?.namespace ?? "",
    name: l.metadata?.name ?? "",
    holderIdentity: l.spec?.holderIdentity ?? null,
    leaseDurationSeconds: l.spec?.leaseDurationSeconds ?? null,
    acquireTime: iso(l.spec?.acquireTime),
    renewTime: iso(l.spec?.renewTime),
    leaseTransitions: l.spec?.leaseTransitions ?? 0,
    resourceVersion: l.metadata?.resourceVersion ?? null,
  };
}

function toMeta(m: V1ObjectMeta | undefined): ObjectMeta {
  return {
    name: m?.name ?? "",
    namespace: m?.namespace,
    labels: m?.labels,
    annotations: m?.annotations,
    ownerReferences: (m?.ownerReferences ?? []).map((o) => ({ kind: o.kind, name: o.name, controller: o.controller })),
    resourceVersion: m?.resourceVersion,
    uid: m?.uid,
  };
}

const toContainers = (cs: Array<Pick<V1Container, "name" | "image">> | undefined): Container[] =>
  (cs ?? []).map((c) => ({ name: c.name, image: c.image }));

const toContainerStatuses = (cs: V1ContainerStatus[] | undefined): ContainerStatus[] | undefined =>
  cs?.map((c) => ({ name: c.name, image: c.image, waitingReason: c.state?.waiting?.reason }));

function toPodStatus(status: V1PodStatus | undefined): PodStatus | undefined {
  if (!status) return undefined;
  return {
    initContainerStatuses: toContainerStatuses(status.initContainerStatuses),
    containerStatuses: toContainerStatuses(status.containerStatuses),
  };
}

export function toPodSpec(spec: V1PodSpec | undefined): PodSpec {
  return {
    serviceAccountName: spec?.serviceAccountName,
    serviceAccount: spec?.serviceAccount,
    containers: toContainers(spec?.containers),
    initContainers: toContainers(spec?.initContainers),
    ephemeralContainers: toContainers(spec?.ephemeralContainers),
    imagePullSecrets: (spec?.imagePullSecrets ?? []).map((r) => ({ name: r.name })),
  };
}

type TemplateHolder = { metadata?: V1ObjectMeta; spec?: { template?: { metadata?: V1ObjectMeta; spec?: V1PodSpec } } };

function toTemplate(t: { metadata?: V1ObjectMeta; spec?: V1PodSpec } | undefined): PodTemplateSpec {
  return {
    metadata: t?.metadata ? { labels: t.metadata.labels, annotations: t.metadata.annotations } : undefined,
    spec: toPodSpec(t?.spec),
  };
}

export function toTemplated<K extends "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job">(
  kind: K,
  o: TemplateHolder,
) {
  return { kind, metadata: toMeta(o.metadata), spec: { template: toTemplate(o.spec?.template) } };
}

/** Maps a raw API object of a known workload kind to the Workload shape lib/sync reads. */
export function toWorkload(kind: Workload["kind"], o: unknown): Workload {
  const obj = o as TemplateHolder & {
    spec?: V1PodSpec & { jobTemplate?: { spec?: TemplateHolder["spec"] } };
    status?: V1PodStatus;
  };
  switch (kind) {
    case "Pod":
      return { kind, metadata: toMeta(obj.metadata), spec: toPodSpec(obj.spec), status: toPodStatus(obj.status) };
    case "CronJob":
      return {
        kind,
        metadata: toMeta(obj.metadata),
        spec: { jobTemplate: { spec: { template: toTemplate(obj.spec?.jobTemplate?.spec?.template) } } },
      };
    default:
      return toTemplated(kind, obj);
  }
}

import "server-only";
import type { V1Lease, V1Secret, V1ServiceAccount } from "@kubernetes/client-node";
import type { WorkloadKind } from "./workloads";
import type { Runner } from "./lists";
import { toLease, toSecret, toServiceAccount } from "./mappers";
import type { RawSender } from "./raw";
import { pathFor } from "./resources";
import type { KubeClient, LeaseWrite, Precondition, PullSecretRefs, SecretWrite } from "./types";

const MERGE_PATCH = "application/merge-patch+json";

type Writes = Pick<
  KubeClient,
  | "createSecret"
  | "replaceSecret"
  | "annotateSecret"
  | "deleteSecret"
  | "patchServiceAccountPullSecrets"
  | "patchWorkloadPullSecrets"
  | "deletePod"
  | "getLease"
  | "createLease"
  | "updateLease"
>;

function secretBody(s: SecretWrite, pre?: Precondition): V1Secret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: s.name,
      namespace: s.namespace,
      labels: s.labels,
      annotations: s.annotations,
      ...(pre?.resourceVersion ? { resourceVersion: pre.resourceVersion } : {}),
    },
    type: s.type,
    data: s.data,
  };
}

// A resourceVersion inside a merge patch makes the API server refuse it with 409 if the object changed.
const rvMeta = (pre?: Precondition) => (pre?.resourceVersion ? { resourceVersion: pre.resourceVersion } : {});
const refsOf = (refs: PullSecretRefs) => refs.map((r) => ({ name: r.name ?? "" }));

function templatePatch(kind: WorkloadKind, refs: PullSecretRefs): Record<string, unknown> {
  const spec = { imagePullSecrets: refsOf(refs) };
  if (kind === "CronJob") return { jobTemplate: { spec: { template: { spec } } } };
  return { template: { spec } };
}

const workloadKinds: Record<WorkloadKind, true> = {
  Pod: true,
  Deployment: true,
  StatefulSet: true,
  DaemonSet: true,
  ReplicaSet: true,
  Job: true,
  CronJob: true,
};

function leaseBody(l: LeaseWrite): V1Lease {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name: l.name,
      namespace: l.namespace,
      ...(l.resourceVersion ? { resourceVersion: l.resourceVersion } : {}),
    },
    spec: {
      holderIdentity: l.holderIdentity ?? undefined,
      leaseDurationSeconds: l.leaseDurationSeconds ?? undefined,
      // MicroTime: RFC 3339 with microseconds.
      acquireTime: (l.acquireTime ? l.acquireTime.replace(/(\.\d{3})Z$/, "$1000Z") : undefined) as unknown as Date,
      renewTime: (l.renewTime ? l.renewTime.replace(/(\.\d{3})Z$/, "$1000Z") : undefined) as unknown as Date,
      leaseTransitions: l.leaseTransitions,
    },
  };
}

export function writeMethods(send: RawSender, run: Runner): Writes {
  return {
    createSecret: (s) =>
      run(async () =>
        toSecret(await send<V1Secret>({ method: "POST", path: pathFor("Secret", s.namespace), body: secretBody(s) })),
      ),
    replaceSecret: (s, pre) =>
      run(async () =>
        toSecret(
          await send<V1Secret>({
            method: "PUT",
            path: pathFor("Secret", s.namespace, s.name),
            body: secretBody(s, pre),
          }),
        ),
      ),
    annotateSecret: (namespace, name, annotations, pre, labels) =>
      run(async () => {
        const body = { metadata: { annotations, ...(labels ? { labels } : {}), ...rvMeta(pre) } };
        return toSecret(
          await send<V1Secret>({
            method: "PATCH",
            path: pathFor("Secret", namespace, name),
            body,
            contentType: MERGE_PATCH,
          }),
        );
      }),
    deleteSecret: (namespace, name, pre) =>
      run(async () => {
        const body = {
          apiVersion: "v1",
          kind: "DeleteOptions",
          ...(pre?.resourceVersion ? { preconditions: { resourceVersion: pre.resourceVersion } } : {}),
        };
        await send({ method: "DELETE", path: pathFor("Secret", namespace, name), body });
      }),
    patchServiceAccountPullSecrets: (namespace, name, refs, pre, annotations) =>
      run(async () => {
        const body = {
          metadata: { ...rvMeta(pre), ...(annotations ? { annotations } : {}) },
          imagePullSecrets: refsOf(refs),
        };
        return toServiceAccount(
          await send<V1ServiceAccount>({
            method: "PATCH",
            path: pathFor("ServiceAccount", namespace, name),
            body,
            contentType: MERGE_PATCH,
          }),
        );
      }),
    patchWorkloadPullSecrets: (kind, namespace, name, refs, pre) =>
      run(async () => {
        // A Job's pod template is immutable, like a Pod's spec.
        if (!workloadKinds[kind] || kind === "Pod" || kind === "Job")
          throw Object.assign(new Error(`the pod template of a ${kind} cannot be patched`), { code: 422 });
        const body = { metadata: rvMeta(pre), spec: templatePatch(kind, refs) };
        await send({ method: "PATCH", path: pathFor(kind, namespace, name), body, contentType: MERGE_PATCH });
      }),
    deletePod: (namespace, name, pre) =>
      run(async () => {
        const body = {
          apiVersion: "v1",
          kind: "DeleteOptions",
          ...(pre?.uid ? { preconditions: { uid: pre.uid } } : {}),
        };
        await send({ method: "DELETE", path: pathFor("Pod", namespace, name), body });
      }),
    getLease: (namespace, name) =>
      run(async () => toLease(await send<V1Lease>({ method: "GET", path: pathFor("Lease", namespace, name) }))),
    createLease: (l) =>
      run(async () =>
        toLease(await send<V1Lease>({ method: "POST", path: pathFor("Lease", l.namespace), body: leaseBody(l) })),
      ),
    updateLease: (l) =>
      run(async () =>
        toLease(
          await send<V1Lease>({ method: "PUT", path: pathFor("Lease", l.namespace, l.name), body: leaseBody(l) }),
        ),
      ),
  };
}

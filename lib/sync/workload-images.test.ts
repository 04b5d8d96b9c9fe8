import { describe, expect, it } from "vitest";
import type { PodSpec, Workload } from "@/lib/integrations/kube/workloads";
import { extractAllWorkloadImages, extractWorkloadImages, type WorkloadImages } from "./workload-images";

const meta = { name: "app", namespace: "team-a" };
const spec: PodSpec = {
  serviceAccountName: "builder",
  initContainers: [{ name: "migrate", image: "quay.io/acme/migrate:1" }],
  containers: [
    { name: "web", image: "nginx:1.27" },
    { name: "sidecar", image: "nginx:1.27" },
  ],
  ephemeralContainers: [{ name: "debug", image: "busybox" }],
  imagePullSecrets: [{ name: "own" }],
};
const template = { spec };

type Row = [string, Workload, Partial<WorkloadImages>];

const rows: Row[] = [
  [
    "a Pod with init, regular and ephemeral containers",
    { kind: "Pod", metadata: meta, spec },
    { images: ["quay.io/acme/migrate:1", "nginx:1.27", "busybox"], templatePatchable: false },
  ],
  [
    "a Deployment's template (ephemeral containers are pods-only)",
    { kind: "Deployment", metadata: meta, spec: { template } },
    { images: ["quay.io/acme/migrate:1", "nginx:1.27"], templatePatchable: true },
  ],
  [
    "a StatefulSet",
    { kind: "StatefulSet", metadata: meta, spec: { template } },
    { kind: "StatefulSet", images: ["quay.io/acme/migrate:1", "nginx:1.27"] },
  ],
  [
    "a DaemonSet",
    { kind: "DaemonSet", metadata: meta, spec: { template } },
    { kind: "DaemonSet", templatePatchable: true },
  ],
  [
    "a Job (template immutable)",
    { kind: "Job", metadata: meta, spec: { template } },
    { kind: "Job", templatePatchable: false },
  ],
  [
    "a CronJob's jobTemplate",
    { kind: "CronJob", metadata: meta, spec: { jobTemplate: { spec: { template } } } },
    { kind: "CronJob", images: ["quay.io/acme/migrate:1", "nginx:1.27"], templatePatchable: true },
  ],
  ["a bare ReplicaSet", { kind: "ReplicaSet", metadata: meta, spec: { template } }, { templatePatchable: true }],
  [
    "a ReplicaSet controlled by a Deployment",
    {
      kind: "ReplicaSet",
      metadata: { ...meta, ownerReferences: [{ kind: "Deployment", name: "app", controller: true }] },
      spec: { template },
    },
    { controlled: true, templatePatchable: false },
  ],
  [
    "a Pod controlled by a ReplicaSet",
    {
      kind: "Pod",
      metadata: { ...meta, ownerReferences: [{ kind: "ReplicaSet", name: "app-1", controller: true }] },
      spec,
    },
    { controlled: true, templatePatchable: false },
  ],
  [
    "a Deployment with a non-controller owner",
    {
      kind: "Deployment",
      metadata: { ...meta, ownerReferences: [{ kind: "Application", name: "x" }] },
      spec: { template },
    },
    { controlled: false, templatePatchable: true },
  ],
  [
    "the default ServiceAccount, no namespace and blank images",
    {
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: [{ name: "a", image: " " }, { name: "b" }, { name: "c", image: " redis " }] },
    },
    { namespace: "default", serviceAccountName: "default", images: ["redis"], imagePullSecrets: [] },
  ],
  [
    "the deprecated serviceAccount field",
    { kind: "Pod", metadata: meta, spec: { serviceAccount: "legacy", containers: [] } },
    { serviceAccountName: "legacy", images: [] },
  ],
];

describe("extractWorkloadImages", () => {
  it.each(rows)("reads %s", (_, workload, expected) => {
    expect(extractWorkloadImages(workload)).toMatchObject(expected);
  });

  it("keeps namespace, name, ServiceAccount and the template's own pull secrets", () => {
    expect(extractWorkloadImages({ kind: "Deployment", metadata: meta, spec: { template } })).toEqual({
      namespace: "team-a",
      kind: "Deployment",
      name: "app",
      serviceAccountName: "builder",
      images: ["quay.io/acme/migrate:1", "nginx:1.27"],
      imagePullSecrets: [{ name: "own" }],
      controlled: false,
      templatePatchable: true,
    });
  });

  it("maps a list in order", () => {
    const list = extractAllWorkloadImages(rows.slice(0, 3).map(([, workload]) => workload));
    expect(list.map((w) => w.kind)).toEqual(["Pod", "Deployment", "StatefulSet"]);
  });
});

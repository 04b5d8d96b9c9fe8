import { describe, expect, it } from "vitest";
import { findStuckPods, podPullStates } from "./stuck-pods";
import type { ContainerStatus, Pod, Workload } from "@/lib/integrations/kube/workloads";

const registries = [
  { id: "priv", registry: "priv.example.com", type: "basic" },
  { id: "hub", registry: "docker.io", type: "public" },
];
const owner = { kind: "ReplicaSet", name: "web-1", controller: true };

function pod(
  name: string,
  statuses: ContainerStatus[],
  extra: { owners?: Pod["metadata"]["ownerReferences"]; pullSecrets?: string[]; init?: ContainerStatus[] } = {},
): Pod {
  return {
    kind: "Pod",
    metadata: { name, namespace: "a", uid: `uid-${name}`, ownerReferences: extra.owners },
    spec: {
      containers: statuses.map((s) => ({ name: s.name, image: s.image })),
      initContainers: (extra.init ?? []).map((s) => ({ name: s.name, image: s.image })),
      imagePullSecrets: (extra.pullSecrets ?? []).map((n) => ({ name: n })),
    },
    status: { containerStatuses: statuses, initContainerStatuses: extra.init },
  };
}
const waiting = (reason: string | undefined, image = "priv.example.com/app:1", name = "app"): ContainerStatus => ({
  name,
  image,
  waitingReason: reason,
});
const present = (ns: string, secret: string) => ns === "a" && secret === "regcred-priv";

describe("podPullStates", () => {
  const cases: Array<{
    title: string;
    workloads: Workload[];
    expected: Array<{ name: string; reasons: string[]; controlled: boolean }>;
  }> = [
    {
      title: "ImagePullBackOff is waiting",
      workloads: [pod("p", [waiting("ImagePullBackOff")])],
      expected: [{ name: "p", reasons: ["ImagePullBackOff"], controlled: false }],
    },
    {
      title: "ErrImagePull of a controller-owned pod",
      workloads: [pod("p", [waiting("ErrImagePull")], { owners: [owner] })],
      expected: [{ name: "p", reasons: ["ErrImagePull"], controlled: true }],
    },
    {
      title: "an owner that is not the controller",
      workloads: [pod("p", [waiting("ErrImagePull")], { owners: [{ ...owner, controller: false }] })],
      expected: [{ name: "p", reasons: ["ErrImagePull"], controlled: false }],
    },
    {
      title: "init containers count",
      workloads: [
        pod("p", [waiting(undefined)], { init: [waiting("ImagePullBackOff", "priv.example.com/init:1", "init")] }),
      ],
      expected: [{ name: "p", reasons: ["ImagePullBackOff"], controlled: false }],
    },
    {
      title: "other waiting reasons are ignored",
      workloads: [pod("p", [waiting("ContainerCreating"), waiting("CrashLoopBackOff", undefined, "b")])],
      expected: [],
    },
    { title: "running containers are ignored", workloads: [pod("p", [waiting(undefined)])], expected: [] },
    {
      title: "a pod without status is ignored",
      workloads: [
        { kind: "Pod", metadata: { name: "p", namespace: "a" }, spec: { containers: [{ name: "app", image: "x" }] } },
      ],
      expected: [],
    },
    {
      title: "other kinds are ignored",
      workloads: [
        {
          kind: "Deployment",
          metadata: { name: "d", namespace: "a" },
          spec: { template: { spec: { containers: [] } } },
        },
      ],
      expected: [],
    },
  ];
  it.each(cases)("$title", ({ workloads, expected }) => {
    expect(
      podPullStates(workloads).map((p) => ({
        name: p.name,
        reasons: p.waiting.map((w) => w.reason),
        controlled: p.controlled,
      })),
    ).toEqual(expected);
  });

  it("prefers the spec's image over the status's normalised one", () => {
    const p = pod("p", [waiting("ErrImagePull")]);
    p.status = {
      containerStatuses: [{ name: "app", image: "docker.io/priv.example.com/app:1", waitingReason: "ErrImagePull" }],
    };
    expect(podPullStates([p])[0]!.waiting[0]!.image).toBe("priv.example.com/app:1");
  });
});

describe("findStuckPods", () => {
  const cases: Array<{
    title: string;
    pod: Pod;
    present?: typeof present;
    expected: Array<{ pod: string; secretName: string; restartable: boolean }>;
  }> = [
    {
      title: "controller-owned, secret present: restartable",
      pod: pod("p", [waiting("ImagePullBackOff")], { owners: [owner] }),
      expected: [{ pod: "p", secretName: "regcred-priv", restartable: true }],
    },
    {
      title: "bare pod: reported only",
      pod: pod("p", [waiting("ImagePullBackOff")]),
      expected: [{ pod: "p", secretName: "regcred-priv", restartable: false }],
    },
    {
      title: "already lists the secret: reported, not restarted",
      pod: pod("p", [waiting("ErrImagePull")], { owners: [owner], pullSecrets: ["regcred-priv"] }),
      expected: [{ pod: "p", secretName: "regcred-priv", restartable: false }],
    },
    {
      title: "secret not present yet",
      pod: pod("p", [waiting("ImagePullBackOff")], { owners: [owner] }),
      present: () => false,
      expected: [],
    },
    {
      title: "image of no known registry",
      pod: pod("p", [waiting("ImagePullBackOff", "other.example.com/app:1")]),
      expected: [],
    },
    {
      title: "public registry needs no secret",
      pod: pod("p", [waiting("ImagePullBackOff", "docker.io/library/nginx:1")]),
      expected: [],
    },
    { title: "unparsable image", pod: pod("p", [waiting("ImagePullBackOff", "UPPER CASE::")]), expected: [] },
  ];
  it.each(cases)("$title", ({ pod: p, present: has, expected }) => {
    const found = findStuckPods(podPullStates([p]), registries, has ?? present);
    expect(found.map((s) => ({ pod: s.pod, secretName: s.secretName, restartable: s.restartable }))).toEqual(expected);
  });

  it("reports namespace, pod, container, image and reason", () => {
    const [found] = findStuckPods(
      podPullStates([pod("p", [waiting("ErrImagePull")], { owners: [owner] })]),
      registries,
      present,
    );
    expect(found).toEqual({
      namespace: "a",
      pod: "p",
      uid: "uid-p",
      container: "app",
      image: "priv.example.com/app:1",
      reason: "ErrImagePull",
      controlled: true,
      secretName: "regcred-priv",
      restartable: true,
    });
  });

  it("looks for the owner's alternate name where another installation holds regcred-<id>", () => {
    const alt = (ns: string, secret: string) => ns === "a" && secret === "regcred-priv-0a1b2c3d";
    const pods = podPullStates([pod("p", [waiting("ErrImagePull")], { owners: [owner] })]);
    expect(findStuckPods(pods, registries, alt)).toEqual([]);
    expect(
      findStuckPods(pods, registries, alt, (_ns, id) => `regcred-${id}-0a1b2c3d`).map((s) => s.secretName),
    ).toEqual(["regcred-priv-0a1b2c3d"]);
  });
});

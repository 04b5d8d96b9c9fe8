import { describe, expect, it } from "vitest";
import type { KubeSecret, KubeServiceAccount } from "@/lib/integrations/kube";
import type { Deployment, Pod, ReplicaSet, Workload } from "@/lib/integrations/kube/workloads";
import type { WiringMode } from "@/lib/sync/wiring-modes";
import { type CheckFinding, type ClusterReadinessInput, evaluateClusterReadiness } from "./evaluate";
import { repositoryCheckKey as checkKey, repositoryTarget } from "./targets";
import { parseImageReference } from "@/lib/images/reference";

const now = new Date("2026-11-30T12:00:00Z");
const owner = { installation: "inst1", org: "acme" };
const IMAGE = "priv.example.com/team/app:1";
const registries = [
  { id: "priv", registry: "priv.example.com", type: "basic" as const },
  { id: "pub", registry: "pub.example.com", type: "public" as const },
];

function deployment(name: string, extra: { sa?: string; pullSecrets?: string[]; image?: string } = {}): Deployment {
  return {
    kind: "Deployment",
    metadata: { name, namespace: "a" },
    spec: {
      template: {
        spec: {
          serviceAccountName: extra.sa,
          containers: [{ name: "app", image: extra.image ?? IMAGE }],
          imagePullSecrets: (extra.pullSecrets ?? []).map((n) => ({ name: n })),
        },
      },
    },
  };
}
function secret(extra: Partial<KubeSecret> & { expires?: string } = {}): KubeSecret {
  return {
    namespace: "a",
    name: "regcred-priv",
    type: "kubernetes.io/dockerconfigjson",
    labels: {
      "app.kubernetes.io/managed-by": "regcred",
      "regcred.dev/registry": "priv",
      "regcred.dev/installation": "inst1",
      "regcred.dev/org": "acme",
      ...(extra.expires ? { "regcred.dev/expires": extra.expires } : {}),
    },
    annotations: {},
    data: {},
    resourceVersion: "1",
    createdAt: null,
    ...extra,
  } as KubeSecret;
}
const sa = (pullSecrets: string[], name = "default"): KubeServiceAccount => ({
  namespace: "a",
  name,
  imagePullSecrets: pullSecrets,
  resourceVersion: "1",
});
const okCheck: CheckFinding = { outcome: "ok", step: "manifest", detail: "HEAD answered 200", checkedAt: now };
const target = repositoryTarget("priv", (parseImageReference(IMAGE) as { ok: true; value: never }).value);

function run(over: Partial<ClusterReadinessInput> & { wiring?: WiringMode }) {
  return evaluateClusterReadiness({
    cluster: { id: "c1", name: "prod" },
    wiring: "serviceaccount",
    nodeCredentialImages: [],
    owner,
    workloads: [deployment("web")],
    serviceAccounts: [sa(["regcred-priv"])],
    secrets: [secret()],
    registries,
    checks: new Map([[checkKey(target), okCheck]]),
    credentialFailures: new Map(),
    now,
    ...over,
  });
}
const codes = (r: ReturnType<typeof run>, i = 0) => r.workloads[i]!.images[0]!.reasons.map((x) => x.code);

describe("evaluateClusterReadiness", () => {
  const cases: Array<{ title: string; over: Parameters<typeof run>[0]; verdict: string; code: string }> = [
    { title: "secret present, SA wired, pull ok", over: {}, verdict: "ready", code: "pull_ok" },
    { title: "secret missing", over: { secrets: [] }, verdict: "will_fail", code: "secret_missing" },
    {
      title: "secret expired",
      over: { secrets: [secret({ expires: "20261130T100000Z" })] },
      verdict: "will_fail",
      code: "secret_expired",
    },
    {
      title: "a regcred-<id> secret another tool wrote",
      over: { secrets: [secret({ labels: {} })] },
      verdict: "will_fail",
      code: "secret_not_managed",
    },
    {
      title: "wrong type",
      over: { secrets: [secret({ type: "Opaque" })] },
      verdict: "will_fail",
      code: "secret_wrong_type",
    },
    {
      title: "SA not wired",
      over: { serviceAccounts: [sa([])] },
      verdict: "will_fail",
      code: "serviceaccount_not_wired",
    },
    { title: "SA missing", over: { serviceAccounts: [] }, verdict: "will_fail", code: "serviceaccount_missing" },
    {
      title: "template lists its own secrets (SA's are not added)",
      over: { workloads: [deployment("web", { pullSecrets: ["other"] })] },
      verdict: "will_fail",
      code: "template_own_secrets",
    },
    {
      title: "template lists the secret",
      over: { workloads: [deployment("web", { pullSecrets: ["regcred-priv"] })], serviceAccounts: [sa([])] },
      verdict: "ready",
      code: "wired_template",
    },
    {
      title: "webhook mode",
      over: { wiring: "webhook", serviceAccounts: [sa([])] },
      verdict: "ready",
      code: "wired_webhook",
    },
    {
      title: "podtemplate mode, nothing wired",
      over: { wiring: "podtemplate", serviceAccounts: [sa([])] },
      verdict: "will_fail",
      code: "template_not_wired",
    },
    {
      title: "wrong password",
      over: { checks: new Map([[checkKey(target), { ...okCheck, outcome: "wrong_credentials" as const }]]) },
      verdict: "will_fail",
      code: "wrong_credentials",
    },
    {
      title: "no access",
      over: { checks: new Map([[checkKey(target), { ...okCheck, outcome: "no_access" as const }]]) },
      verdict: "will_fail",
      code: "no_access",
    },
    {
      title: "registry cannot tell no access from missing",
      over: { checks: new Map([[checkKey(target), { ...okCheck, outcome: "denied" as const }]]) },
      verdict: "will_fail",
      code: "denied",
    },
    {
      title: "image missing",
      over: { checks: new Map([[checkKey(target), { ...okCheck, outcome: "not_found" as const }]]) },
      verdict: "will_fail",
      code: "image_not_found",
    },
    {
      title: "registry unreachable",
      over: { checks: new Map([[checkKey(target), { ...okCheck, outcome: "unreachable" as const }]]) },
      verdict: "unknown",
      code: "registry_unreachable",
    },
    { title: "not checked yet", over: { checks: new Map() }, verdict: "unknown", code: "not_checked" },
    {
      title: "no registry matches",
      over: { workloads: [deployment("web", { image: "other.example.com/x:1" })] },
      verdict: "unknown",
      code: "no_registry",
    },
    {
      title: "invalid image",
      over: { workloads: [deployment("web", { image: "UPPER/Case" })] },
      verdict: "will_fail",
      code: "image_invalid",
    },
    {
      title: "nodes pull with their own credentials: never will_fail",
      over: { nodeCredentialImages: ["*.example.com"], secrets: [] },
      verdict: "unknown",
      code: "node_credentials",
    },
  ];
  it.each(cases)("$title", ({ over, verdict, code }) => {
    const got = run(over);
    expect(got.workloads[0]!.verdict).toBe(verdict);
    expect(codes(got)).toContain(code);
  });

  it("an image no registry matches is never checked: a workload author cannot make Regcred call a host of their choosing", () => {
    const got = run({ workloads: [deployment("web", { image: "attacker.example.net/x:1" })] });
    expect(got.targets).toEqual([]);
    expect(codes(got)).toEqual(["no_registry"]);
  });

  it("a public registry needs no secret; its check decides", () => {
    const got = run({
      workloads: [deployment("web", { image: "pub.example.com/x:1" })],
      secrets: [],
      checks: new Map(),
    });
    expect(codes(got)).toEqual(["public_registry", "not_checked"]);
    expect(got.targets).toEqual([{ registryId: "pub", host: "pub.example.com", repository: "x", reference: "1" }]);
  });

  it("every failing reason carries a fix, and no reason text is empty", () => {
    const got = run({ secrets: [secret({ expires: "20261130T100000Z" })] });
    for (const r of got.workloads[0]!.images[0]!.reasons) {
      expect(r.text.length).toBeGreaterThan(10);
      if (r.severity === "fail") expect(r.fix).toBeTruthy();
    }
    expect(got.workloads[0]!.images[0]!.reasons[1]!.text).toMatch(/expired 2 h ago/);
  });

  it("says why the refresh failed when an expired secret could not be renewed", () => {
    const got = run({
      secrets: [secret({ expires: "20261130T100000Z" })],
      credentialFailures: new Map([["priv", "ECR token could not be minted: AccessDenied"]]),
    });
    expect(got.workloads[0]!.images[0]!.reasons[1]!.text).toMatch(
      /refresh failed because ECR token could not be minted/,
    );
  });

  it("shows a Pod under its Deployment once, and cross-checks its ImagePullBackOff", () => {
    const rs: ReplicaSet = {
      kind: "ReplicaSet",
      metadata: {
        name: "web-1",
        namespace: "a",
        ownerReferences: [{ kind: "Deployment", name: "web", controller: true }],
      },
      spec: { template: deployment("web").spec.template },
    };
    const pod: Pod = {
      kind: "Pod",
      metadata: {
        name: "web-1-x",
        namespace: "a",
        ownerReferences: [{ kind: "ReplicaSet", name: "web-1", controller: true }],
      },
      spec: { containers: [{ name: "app", image: IMAGE }] },
      status: { containerStatuses: [{ name: "app", image: IMAGE, waitingReason: "ImagePullBackOff" }] },
    };
    const workloads: Workload[] = [deployment("web"), rs, pod];
    const missing = run({ workloads, secrets: [] });
    expect(missing.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual(["Deployment/web"]);
    expect(missing.workloads[0]!.stuck_pods).toEqual([
      { pod: "web-1-x", container: "app", image: IMAGE, reason: "ImagePullBackOff", explained: true },
    ]);
    expect(codes(missing)).toContain("pull_backoff");
    // The template is fine now, but the stuck pod was admitted without the secret: its own spec explains it.
    const fixed = run({ workloads });
    expect(fixed.workloads[0]!.verdict).toBe("ready");
    expect(fixed.workloads[0]!.stuck_pods[0]!.explained).toBe(true);
  });

  it("a bare Pod is judged on its own imagePullSecrets", () => {
    const pod: Pod = {
      kind: "Pod",
      metadata: { name: "p", namespace: "a" },
      spec: { containers: [{ name: "c", image: IMAGE }] },
    };
    const got = run({ workloads: [pod] });
    expect(got.workloads[0]!.verdict).toBe("will_fail");
    expect(codes(got)).toContain("pod_not_wired");
    const wired = run({ workloads: [{ ...pod, spec: { ...pod.spec, imagePullSecrets: [{ name: "regcred-priv" }] } }] });
    expect(wired.workloads[0]!.verdict).toBe("ready");
  });
});

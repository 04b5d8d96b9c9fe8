import { describe, expect, it } from "vitest";
import { admissionResponse, parseAdmissionReview, pullSecretPatch } from "./review";

const review = (request: Record<string, unknown>) => ({
  apiVersion: "admission.k8s.io/v1",
  kind: "AdmissionReview",
  request,
});
const podRequest = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  review({
    uid: "u1",
    kind: { group: "", version: "v1", kind: "Pod" },
    namespace: "ns",
    operation: "CREATE",
    object: { metadata: { generateName: "web-" }, spec },
    ...extra,
  });

describe("parseAdmissionReview", () => {
  it.each([
    ["not an object", null, "not an AdmissionReview"],
    ["wrong kind", { kind: "Pod" }, "not an AdmissionReview"],
    [
      "v1beta1",
      { apiVersion: "admission.k8s.io/v1beta1", kind: "AdmissionReview", request: { uid: "x" } },
      "only admission.k8s.io/v1 is supported",
    ],
    ["no uid", review({}), "request.uid is missing"],
  ])("refuses %s", (_name, body, reason) => expect(parseAdmissionReview(body)).toEqual({ ok: false, reason }));

  it("reads a pod's containers, init and ephemeral containers, pull secrets and dry-run", () => {
    const parsed = parseAdmissionReview(
      podRequest(
        {
          serviceAccountName: "builder",
          containers: [{ name: "a", image: "r.example.com/a:1" }],
          initContainers: [{ name: "i", image: "r.example.com/i" }],
          ephemeralContainers: [{ name: "e", image: "busybox" }],
          imagePullSecrets: [{ name: "own" }],
        },
        { dryRun: true },
      ),
    );
    expect(parsed).toEqual({
      ok: true,
      request: {
        uid: "u1",
        namespace: "ns",
        operation: "CREATE",
        dryRun: true,
        pod: {
          kind: "Pod",
          metadata: { name: "web-*", namespace: "ns" },
          spec: {
            serviceAccountName: "builder",
            containers: [{ name: "a", image: "r.example.com/a:1" }],
            initContainers: [{ name: "i", image: "r.example.com/i" }],
            ephemeralContainers: [{ name: "e", image: "busybox" }],
            imagePullSecrets: [{ name: "own" }],
          },
        },
      },
    });
  });

  it.each([
    ["another kind", { kind: { group: "apps", version: "v1", kind: "Deployment" } }],
    ["a subresource", { subResource: "ephemeralcontainers" }],
    ["no namespace", { namespace: "" }],
  ])("has no pod for %s", (_name, extra) => {
    const parsed = parseAdmissionReview(podRequest({ containers: [] }, extra));
    expect(parsed.ok && parsed.request.pod).toBeNull();
  });
});

describe("pullSecretPatch", () => {
  it.each([
    [
      "field absent: one add of the whole list",
      undefined,
      ["regcred-a", "regcred-b"],
      [{ op: "add", path: "/spec/imagePullSecrets", value: [{ name: "regcred-a" }, { name: "regcred-b" }] }],
    ],
    [
      "empty list: appends",
      [],
      ["regcred-a"],
      [{ op: "add", path: "/spec/imagePullSecrets/-", value: { name: "regcred-a" } }],
    ],
    [
      "foreign entry kept, own appended",
      [{ name: "foreign" }],
      ["regcred-a"],
      [{ op: "add", path: "/spec/imagePullSecrets/-", value: { name: "regcred-a" } }],
    ],
    ["already listed: nothing (reinvocation)", [{ name: "regcred-a" }], ["regcred-a"], []],
    [
      "duplicates collapse",
      undefined,
      ["regcred-a", "regcred-a"],
      [{ op: "add", path: "/spec/imagePullSecrets", value: [{ name: "regcred-a" }] }],
    ],
    ["nothing wanted", undefined, [], []],
  ])("%s", (_name, imagePullSecrets, names, ops) =>
    expect(pullSecretPatch({ imagePullSecrets }, names).ops).toEqual(ops),
  );
});

describe("admissionResponse", () => {
  it("always allows; the patch is base64 JSONPatch", () => {
    const ops = [{ op: "add" as const, path: "/spec/imagePullSecrets", value: [{ name: "regcred-a" }] }];
    const res = admissionResponse("u1", ops, ["w"]);
    expect(res).toMatchObject({
      apiVersion: "admission.k8s.io/v1",
      kind: "AdmissionReview",
      response: { uid: "u1", allowed: true, patchType: "JSONPatch", warnings: ["w"] },
    });
    expect(JSON.parse(Buffer.from(res.response.patch!, "base64").toString())).toEqual(ops);
    expect(admissionResponse("u2").response).toEqual({ uid: "u2", allowed: true });
  });
});

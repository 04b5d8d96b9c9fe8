import { describe, expect, it } from "vitest";
import { requestCall } from "./calls";

describe("requestCall", () => {
  it.each([
    ["GET", "/api/v1/namespaces", "list namespaces."],
    ["GET", "/api/v1/namespaces/a", "get namespaces."],
    ["GET", "/api/v1/namespaces/a/secrets/s", "get secrets."],
    ["GET", "/api/v1/secrets?labelSelector=x&limit=500", "list secrets."],
    ["GET", "/apis/batch/v1/cronjobs?watch=true&resourceVersion=1", "watch cronjobs.batch"],
    ["POST", "/apis/coordination.k8s.io/v1/namespaces/r/leases", "create leases.coordination.k8s.io"],
    ["PUT", "/apis/coordination.k8s.io/v1/namespaces/r/leases/l", "update leases.coordination.k8s.io"],
    ["PATCH", "/apis/apps/v1/namespaces/a/deployments/d", "patch deployments.apps"],
    ["DELETE", "/api/v1/namespaces/a/pods/p", "delete pods."],
    [
      "DELETE",
      "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/x",
      "delete mutatingwebhookconfigurations.admissionregistration.k8s.io",
    ],
    ["GET", "/version", null],
  ])("%s %s → %s", (method, path, expected) => {
    const call = requestCall(method, `https://k.example:6443${path}`);
    expect(call ? `${call.verb} ${call.resource}.${call.group}` : null).toBe(expected);
  });
});

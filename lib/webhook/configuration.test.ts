import { describe, expect, it } from "vitest";
import { sameConfiguration } from "@/lib/integrations/kube/admission";
import { buildWebhookConfiguration, namespaceSelectorFor, webhookConfigurationName } from "./configuration";

const id = "0f8c2b9e-1d2a-4c3b-9e8f-123456789abc";

describe("namespaceSelectorFor", () => {
  const base = [
    { key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-public", "kube-system"] },
    { key: "regcred.dev/ignore", operator: "NotIn", values: ["true"] },
  ];
  it.each([
    ["no selector", null, []],
    ["equality", "team=a", [{ key: "team", operator: "In", values: ["a"] }]],
    [
      "inequality and sets",
      "env!=dev,tier in (web,api),legacy notin (yes)",
      [
        { key: "env", operator: "NotIn", values: ["dev"] },
        { key: "tier", operator: "In", values: ["web", "api"] },
        { key: "legacy", operator: "NotIn", values: ["yes"] },
      ],
    ],
    [
      "exists and not exists",
      "managed,!skip",
      [
        { key: "managed", operator: "Exists" },
        { key: "skip", operator: "DoesNotExist" },
      ],
    ],
    ["numeric comparisons are left to the webhook", "tier>2", []],
    [
      "an unparseable selector selects nothing",
      "a in (b",
      [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["regcred-invalid-selector"] }],
    ],
  ])("%s", (_name, namespaceSelector, extra) => {
    expect(
      namespaceSelectorFor({ namespaceSelector, excludeNamespaces: ["kube-system", "kube-public"] }).matchExpressions,
    ).toEqual([...base, ...extra]);
  });

  it("leaves out the name exclusion when nothing is excluded", () => {
    expect(namespaceSelectorFor({ namespaceSelector: null, excludeNamespaces: [] }).matchExpressions).toEqual([
      { key: "regcred.dev/ignore", operator: "NotIn", values: ["true"] },
    ]);
  });
});

describe("buildWebhookConfiguration", () => {
  const config = buildWebhookConfiguration(
    id,
    { namespaceSelector: null, excludeNamespaces: [] },
    { url: "https://127.0.0.1:8443/", caPem: "PEM" },
    { org: "acme", installation: "a1b2c3d4e5" },
  );

  it("registers CREATE of pods, failing open, dry-run aware, within the API server's timeout", () => {
    expect(config.name).toBe(webhookConfigurationName(id));
    expect(config.name).toBe("regcred-0f8c2b9e1d2a");
    expect(config.labels).toEqual({
      "app.kubernetes.io/managed-by": "regcred",
      "regcred.dev/cluster-id": id,
      "regcred.dev/org": "acme",
      "regcred.dev/installation": "a1b2c3d4e5",
    });
    expect(config.webhooks[0]).toMatchObject({
      clientConfig: { url: `https://127.0.0.1:8443/mutate/${id}`, caBundle: Buffer.from("PEM").toString("base64") },
      rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
      sideEffects: "NoneOnDryRun",
      admissionReviewVersions: ["v1"],
      timeoutSeconds: 10,
      failurePolicy: "Ignore",
      reinvocationPolicy: "IfNeeded",
    });
  });

  it("compares equal to its stored form (server defaults and extra labels ignored), not after a change", () => {
    const stored = {
      ...config,
      labels: { ...config.labels, extra: "x" },
      webhooks: config.webhooks.map((w) => ({ ...w, objectSelector: {}, extraDefault: 1 })),
    };
    expect(sameConfiguration(stored, config)).toBe(true);
    const moved = buildWebhookConfiguration(
      id,
      { namespaceSelector: null, excludeNamespaces: [] },
      { url: "https://10.0.0.5:8443", caPem: "PEM" },
      { org: "acme", installation: "a1b2c3d4e5" },
    );
    expect(sameConfiguration(stored, moved)).toBe(false);
  });
});

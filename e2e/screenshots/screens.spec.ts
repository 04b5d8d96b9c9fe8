import fs from "node:fs";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { expect, test } from "../fixtures";

// Writes docs/screenshots/*.png from a fresh server (see playwright.screenshots.config.ts); never in the test run.
const out = path.join(process.cwd(), "docs", "screenshots");
const widths = [390, 1440] as const;
const b64 = (s: string) => Buffer.from(s).toString("base64");
const compact = (d: Date) =>
  d
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");

test("[screenshots] the Registries and Secrets screens at 390 and 1440 px", async ({ page, api }) => {
  test.setTimeout(120_000);
  const file = process.env.KUBECONFIG_ADMIN;
  if (!file) throw new Error("KUBECONFIG_ADMIN is not set: source the env file of scripts/peers/up.sh.");
  const suffix = Date.now().toString(36).slice(-4);
  const ok = async (res: Promise<{ status(): number; text(): Promise<string> }>) => {
    const r = await res;
    expect(r.status(), await r.text()).toBeLessThan(300);
  };

  await ok(api.post("clusters", { data: { name: "prod-eu", kubeconfig: fs.readFileSync(file, "utf8") } }));
  const registries = [
    {
      id: "harbor",
      registry: "harbor.acme.example/platform",
      type: "basic",
      creds: { username: "robot$ci", password: "x" },
    },
    {
      id: "ecr-prod",
      registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
      type: "amazon_ecr",
      creds: { username: "AKIAEXAMPLE", password: "x" },
      enable_ci: true,
    },
    {
      id: "gar-ml",
      registry: "europe-docker.pkg.dev/acme-ml",
      type: "google_gcr",
      creds: {
        username: "_json_key",
        password: JSON.stringify({
          type: "service_account",
          client_email: "puller@acme-ml.iam.gserviceaccount.com",
          private_key: "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n",
        }),
      },
    },
    { id: "acr-web", registry: "acmeweb.azurecr.io", type: "azure_acr", creds: { username: "app-id", password: "x" } },
    { id: "ghcr-public", registry: "ghcr.io/acme", type: "public" },
    {
      id: "shared-pull",
      registry: "registry.partner.example",
      type: "secret_ref",
      secrets: { "*": { namespace: "infra", secret: "partner-pull" } },
    },
  ];
  for (const data of registries) await ok(api.post("registries", { data }));
  for (const id of ["ecr-prod", "shared-pull"]) await ok(api.post(`registries/${id}/test`));

  const kc = new KubeConfig();
  kc.loadFromFile(file);
  const core = kc.makeApiClient(CoreV1Api);
  const [shop, billing] = [`shop-${suffix}`, `billing-${suffix}`];
  for (const name of [shop, billing]) await core.createNamespace({ body: { metadata: { name } } });
  const secret = (namespace: string, registry: string, host: string, expiresInMs: number | null) =>
    core.createNamespacedSecret({
      namespace,
      body: {
        metadata: {
          name: `regcred-${registry}`,
          labels:
            expiresInMs === null
              ? {}
              : {
                  "app.kubernetes.io/managed-by": "regcred",
                  "regcred.dev/registry": registry,
                  "regcred.dev/expires": compact(new Date(Date.now() + expiresInMs)),
                },
        },
        type: "kubernetes.io/dockerconfigjson",
        data: { ".dockerconfigjson": b64(JSON.stringify({ auths: { [host]: { auth: b64("u:p") } } })) },
      },
    });
  await secret(shop, "harbor", "harbor.acme.example", 30 * 86_400_000);
  await secret(shop, "ecr-prod", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", 5 * 3_600_000);
  await secret(billing, "ecr-prod", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", -3_600_000);
  await secret(billing, "old-mirror", "mirror.acme.example", 86_400_000);
  await secret(billing, "manual", "quay.io", null);
  await core.createNamespacedServiceAccount({
    namespace: shop,
    body: {
      metadata: { name: "default" },
      imagePullSecrets: [{ name: "regcred-harbor" }, { name: "regcred-ecr-prod" }],
    },
  });

  fs.mkdirSync(out, { recursive: true });
  for (const width of widths) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.goto("/registries");
    await expect(page.locator('tr[data-registry-id="shared-pull"]')).toBeVisible();
    await page.screenshot({ path: path.join(out, `registries-${width}.png`), fullPage: true });
    // The test kube-apiserver is shared with other runs: the search keeps this run's namespaces.
    await page.goto(`/secrets?q=${suffix}`);
    await expect(page.locator("tbody tr")).toHaveCount(5, { timeout: 30_000 });
    await page.screenshot({ path: path.join(out, `secrets-${width}.png`), fullPage: true });
  }
});

import fs from "node:fs";
import path from "node:path";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { createTestPki, pushImage, requestRegistryToken, startRegistry, startTokenServer } from "../../test/peers";
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

test("[screenshots] the Readiness screen and its explanation at 1440 and 390 px", async ({ page, api }) => {
  test.setTimeout(120_000);
  const file = process.env.KUBECONFIG_ADMIN;
  if (!file) throw new Error("KUBECONFIG_ADMIN is not set: source the env file of scripts/peers/up.sh.");
  const suffix = Date.now().toString(36).slice(-4);
  // Made here, or already made by the test above: both are fine for a picture.
  const made = async (res: Promise<{ status(): number; text(): Promise<string> }>) => {
    const r = await res;
    expect([200, 201, 409], await r.text()).toContain(r.status());
  };
  const kubeconfig = fs.readFileSync(file, "utf8");
  // Scoped by label: the shared kube-apiserver holds other runs' namespaces.
  await made(api.post("clusters", { data: { name: "prod-us", kubeconfig, namespace_selector: `screens=${suffix}` } }));
  await made(
    api.post("registries", {
      data: {
        id: "harbor",
        registry: "harbor.acme.example/platform",
        type: "basic",
        creds: { username: "ci", password: "x" },
      },
    }),
  );
  await made(
    api.post("registries", {
      data: {
        id: "ecr-prod",
        registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        type: "amazon_ecr",
        creds: { username: "AKIAEXAMPLE", password: "x" },
      },
    }),
  );
  await made(api.post("registries", { data: { id: "ghcr-public", registry: "ghcr.io/acme", type: "public" } }));
  // A real registry that hands anonymous pull tokens, as a public mirror does: its workload can be checked Ready.
  const pki = await createTestPki();
  const tokens = await startTokenServer({
    users: { admin: "screens-admin-password" },
    signer: pki.tokenSigner,
    issuer: "screens",
    service: "screens-mirror",
    tls: pki.server,
    allowAnonymous: true,
  });
  const mirror = await startRegistry({
    name: "screens-mirror",
    tls: pki.server,
    auth: {
      token: { realm: tokens.realm, service: "screens-mirror", issuer: "screens", rootCertBundlePath: pki.ca.certPath },
    },
  });
  const push = await requestRegistryToken(tokens.realm, {
    service: "screens-mirror",
    ca: pki.ca.cert,
    user: "admin",
    password: "screens-admin-password",
    scopes: ["repository:acme/api:pull,push"],
  });
  await pushImage(mirror, "acme/api", "2.0", { ca: pki.ca.cert, authorization: `Bearer ${push}` });
  await made(
    api.post("registries", {
      data: { id: `mirror-${suffix}`, registry: mirror.host, type: "public", ca_cert: pki.ca.cert },
    }),
  );

  const kc = new KubeConfig();
  kc.loadFromFile(file);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const [shop, payments] = [`storefront-${suffix}`, `payments-${suffix}`];
  for (const name of [shop, payments]) {
    await core.createNamespace({ body: { metadata: { name, labels: { screens: suffix } } } });
    await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: "default" } } });
  }
  const deployment = (namespace: string, name: string, images: string[]) =>
    apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name },
        spec: {
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
          },
        },
      },
    });
  await deployment(shop, "web", ["harbor.acme.example/platform/web:4.2", "ghcr.io/acme/envoy:1.31"]);
  await deployment(shop, "search", ["ghcr.io/acme/search:1.9"]);
  await deployment(shop, "cache", ["redis:7"]);
  await deployment(shop, "api", [`${mirror.host}/acme/api:2.0`]);
  await deployment(payments, "ledger", ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/ledger:9"]);
  const image = "harbor.acme.example/platform/invoicer:3";
  const pod = await core.createNamespacedPod({
    namespace: payments,
    body: { metadata: { name: "invoicer-run-8x2k" }, spec: { containers: [{ name: "invoicer", image }] } },
  });
  pod.status = {
    phase: "Pending",
    containerStatuses: [
      {
        name: "invoicer",
        image,
        imageID: "",
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: "ImagePullBackOff" } },
      },
    ],
  };
  await core.replaceNamespacedPodStatus({ namespace: payments, name: pod.metadata!.name!, body: pod });

  fs.mkdirSync(out, { recursive: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/readiness?cluster=prod-us");
  await expect(page.locator("tbody tr")).toHaveCount(6, { timeout: 30_000 });
  await page.getByRole("button", { name: "Re-check" }).click();
  await expect(page.getByText(/repositor(y|ies) checked/)).toBeVisible({ timeout: 60_000 });
  await expect(page.locator(`tr[data-workload="prod-us/${shop}/Deployment/api"]`)).toHaveAttribute(
    "data-verdict",
    "ready",
  );
  await page.screenshot({ path: path.join(out, "readiness.png"), fullPage: true });
  await page.getByRole("button", { name: `Explain Deployment ${shop}/web in prod-us` }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await page.screenshot({ path: path.join(out, "readiness-why.png") });
  await page.keyboard.press("Escape");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.locator("tbody tr")).toHaveCount(6, { timeout: 30_000 });
  await page.screenshot({ path: path.join(out, "readiness-390.png"), fullPage: true });
  await mirror.stop();
  await tokens.stop();
  await pki.remove();
});

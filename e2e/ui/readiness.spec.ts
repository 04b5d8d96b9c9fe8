import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import * as k8s from "@kubernetes/client-node";
import { type APIRequestContext, type Browser, type Page, request } from "@playwright/test";
import { createTestPki, pushImage, type RegistryPeer, startRegistry, type TestPki } from "../../test/peers";
import { ADMIN_EMAIL, ADMIN_PASSWORD, appServerEnv, BOOTSTRAP_TOKEN, ORG } from "../env";
import { expect, test } from "../fixtures";
import { type OwnServer, startOwnServer, tempDataDir } from "../own-server";

// A dashboard of its own with the in-process controller on (the suite's server runs without one), so the pull secret
// of a ready workload is really written and wired; its cluster is scoped by label to this spec's namespace.
const suffix = Date.now().toString(36);
const namespace = `e2e-ready-${suffix}`;
const registryPassword = "readiness-registry-password";

let pki: TestPki;
let registry: RegistryPeer;
let server: OwnServer;
let api: APIRequestContext;
let core: k8s.CoreV1Api;

/** A member of the org with `role`, signed in through their invite link in a browser context of their own. */
async function member(browser: Browser, role: "viewer" | "manager"): Promise<Page> {
  const res = await api.post("users", { data: { email: `${role}-${suffix}@e2e.test`, role } });
  expect(res.status(), await res.text()).toBe(201);
  const context = await browser.newContext({ baseURL: server.url, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(new URL((await res.json()).invite_url).pathname);
  await page.getByLabel("Your name").fill(`A ${role}`);
  await page.getByLabel("Password").fill(`${role}-password-${suffix}`);
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await page.waitForURL(/\/registries$/);
  return page;
}

async function admin(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/registries$/);
  return page;
}

type Workload = {
  kind: string;
  name: string;
  verdict: string;
  images: Array<{ reasons: Array<{ code: string; fix?: string }> }>;
};
const readiness = async (): Promise<Workload[]> => {
  const res = await api.get(`readiness?cluster=dev&namespace=${namespace}`);
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).workloads;
};
const codes = (w: Workload | undefined) => w?.images.flatMap((i) => i.reasons.map((r) => r.code)) ?? [];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  pki = await createTestPki();
  registry = await startRegistry({ tls: pki.server, auth: { htpasswd: { ci: registryPassword } } });
  await pushImage(registry, "shop/web", "1.0", {
    ca: pki.ca.cert,
    authorization: `Basic ${Buffer.from(`ci:${registryPassword}`).toString("base64")}`,
  });
  const env = Object.fromEntries(
    Object.entries(appServerEnv({ dataDir: tempDataDir("readiness") })).filter(
      (e): e is [string, string] => e[1] !== undefined,
    ),
  );
  server = await startOwnServer({ ...env, REGCRED_CONTROLLER: "inprocess", REGCRED_WEBHOOK_PORT: "0" });
  api = await request.newContext({
    baseURL: `${server.url}/api/orgs/${ORG}/`,
    extraHTTPHeaders: { Authorization: `Bearer ${BOOTSTRAP_TOKEN}` },
  });

  const kubeconfig = fs.readFileSync(process.env.KUBECONFIG_ADMIN!, "utf8");
  const kc = new k8s.KubeConfig();
  kc.loadFromString(kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace, labels: { "e2e-ready": suffix } } } });
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: "default" } } });

  const created = async (res: Promise<{ status(): number; text(): Promise<string> }>) => {
    const r = await res;
    expect(r.status(), await r.text()).toBe(201);
  };
  await created(
    api.post("registries", {
      data: {
        id: "team",
        registry: registry.host,
        type: "basic",
        creds: { username: "ci", password: registryPassword },
        ca_cert: pki.ca.cert,
      },
    }),
  );
  // Its source secret does not exist: the controller cannot produce the credential, so no pull secret is written.
  await created(
    api.post("registries", {
      data: {
        id: "partner",
        registry: `partner-${suffix}.example.com`,
        type: "secret_ref",
        secrets: { "*": { namespace, secret: "partner-pull" } },
      },
    }),
  );
  await created(api.post("clusters", { data: { name: "dev", kubeconfig, namespace_selector: `e2e-ready=${suffix}` } }));
  const deployment = (name: string, image: string) =>
    apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name },
        spec: {
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } },
        },
      },
    });
  await deployment("web", `${registry.host}/shop/web:1.0`);
  await deployment("billing", `partner-${suffix}.example.com/billing:2`);

  // The controller writes regcred-team and wires the ServiceAccount; regcred-partner stays missing.
  await expect
    .poll(async () => codes((await readiness()).find((w) => w.name === "web")), { timeout: 60_000 })
    .toEqual(expect.arrayContaining(["secret_present", "wired_serviceaccount"]));
});

test.afterAll(async () => {
  await api?.dispose();
  await server?.stop();
  await registry?.stop();
});

test("[readiness] a workload whose pull secret is missing will fail, and the explanation shows the fix", async ({
  browser,
}) => {
  const billing = (await readiness()).find((w) => w.name === "billing")!;
  expect(billing.verdict).toBe("will_fail");
  const missing = billing.images[0]!.reasons.find((r) => r.code === "secret_missing")!;
  expect(missing.fix).toBeTruthy();

  const page = await admin(browser);
  await page.goto(`/readiness?cluster=dev&namespace=${namespace}`);
  await expect(page.getByRole("link", { name: "Readiness" })).toHaveAttribute("aria-current", "page");
  const row = page.locator(`tr[data-workload="dev/${namespace}/Deployment/billing"]`);
  await expect(row).toHaveAttribute("data-verdict", "will_fail");
  await expect(row).toContainText("Will fail");

  const opener = row.getByRole("button", { name: `Explain Deployment ${namespace}/billing in dev` });
  await opener.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Why can't this pod pull?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`Deployment ${namespace}/billing in cluster dev`);
  await expect(dialog).toContainText("The pull secret regcred-partner is not in this namespace");
  await expect(dialog.locator('[data-reason="secret_missing"] .reason-fix')).toHaveText(`Fix: ${missing.fix}`);
  await expect(dialog.locator('[data-reason="secret_missing"]')).toContainText("Problem:");
  // Focus starts on the findings (the arrow keys scroll them on a phone); Tab reaches Close.
  await expect(dialog.getByRole("region", { name: "What Regcred found" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Close" })).toBeFocused();
  expect((await new AxeBuilder({ page }).include("dialog").analyze()).violations).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
  expect(await page.content()).not.toContain(registryPassword);
  await page.context().close();
});

test("[readiness] a viewer sees no Re-check; a manager re-checks, sees the outcome, and the wired workload turns Ready; the verdict filter changes the list and the URL", async ({
  browser,
}) => {
  const viewer = await member(browser, "viewer");
  await viewer.goto(`/readiness?cluster=dev&namespace=${namespace}`);
  await expect(viewer.locator(`tr[data-workload="dev/${namespace}/Deployment/web"]`)).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Re-check" })).toHaveCount(0);
  await viewer.context().close();

  const page = await member(browser, "manager");
  await page.goto(`/readiness?cluster=dev&namespace=${namespace}`);
  const web = page.locator(`tr[data-workload="dev/${namespace}/Deployment/web"]`);
  const billing = page.locator(`tr[data-workload="dev/${namespace}/Deployment/billing"]`);
  await expect(web).toBeVisible();
  await page.getByRole("button", { name: "Re-check" }).click();
  await expect(page.getByText(/^\d+ repositor(y|ies) checked: .*\b1 ok\b/)).toBeVisible({ timeout: 30_000 });
  await expect(web).toHaveAttribute("data-verdict", "ready");
  await expect(web).toContainText("Ready");
  await expect(page.getByText(/Repositories checked (just now|\d+ min ago)/)).toBeVisible();

  await web.getByRole("button", { name: `Explain Deployment ${namespace}/web in dev` }).click();
  const why = page.getByRole("dialog", { name: "Why this pod can pull" });
  await expect(why.locator('[data-reason="pull_ok"]')).toBeVisible();
  await expect(why.locator('[data-severity="fail"]')).toHaveCount(0);
  await why.getByRole("button", { name: "Close" }).click();

  const verdicts = page.getByRole("group", { name: "Filter by verdict" });
  await expect(verdicts.getByRole("button", { name: /^All/ })).toHaveText("All 2");
  await expect(verdicts.getByRole("button", { name: /^Ready/ })).toHaveText("Ready 1");
  await expect(verdicts.getByRole("button", { name: /^Will fail/ })).toHaveText("Will fail 1");
  await verdicts.getByRole("button", { name: /^Will fail/ }).click();
  await expect(page.locator("tbody tr")).toHaveCount(1);
  await expect(billing).toBeVisible();
  expect(new URL(page.url()).searchParams.get("verdict")).toBe("will_fail");
  await verdicts.getByRole("button", { name: /^Ready/ }).click();
  await expect(page.locator("tbody tr")).toHaveCount(1);
  await expect(web).toBeVisible();
  expect(new URL(page.url()).searchParams.get("verdict")).toBe("ready");
  await verdicts.getByRole("button", { name: /^Unknown/ }).click();
  await expect(page.getByRole("region", { name: "No workloads match these filters" })).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.locator("tbody tr")).toHaveCount(2);
  expect(new URL(page.url()).search).toBe("");

  // The link keeps the filter: opened afresh, it shows the same list.
  await page.goto(`/readiness?cluster=dev&namespace=${namespace}&verdict=ready`);
  await expect(page.locator("tbody tr")).toHaveCount(1);
  await expect(web).toBeVisible();
  expect((await new AxeBuilder({ page }).include("main").analyze()).violations).toEqual([]);
  await page.context().close();
});

test("[readiness] a namespace with more than 100 workloads shows 100 at first, will-fail first, and Show more adds the rest", async ({
  browser,
}) => {
  const many = `${namespace}-many`;
  await core.createNamespace({ body: { metadata: { name: many, labels: { "e2e-ready": suffix } } } });
  await core.createNamespacedServiceAccount({ namespace: many, body: { metadata: { name: "default" } } });
  for (let i = 0; i < 101; i += 10)
    await Promise.all(
      Array.from({ length: Math.min(10, 101 - i) }, (_, k) =>
        core.createNamespacedPod({
          namespace: many,
          body: {
            metadata: { name: `p${String(i + k).padStart(3, "0")}` },
            spec: { containers: [{ name: "app", image: `${registry.host}/shop/web:1.0` }] },
          },
        }),
      ),
    );
  const page = await admin(browser);
  await page.goto(`/readiness?cluster=dev&namespace=${many}`);
  await expect(page.locator("tbody tr")).toHaveCount(100, { timeout: 30_000 });
  await expect(page.getByText("100 of 101 workloads shown")).toBeVisible();
  await page.getByRole("button", { name: "Show 1 more" }).click();
  await expect(page.locator("tbody tr")).toHaveCount(101);
  await expect(page.getByRole("button", { name: /^Show \d+ more$/ })).toHaveCount(0);
  await page.context().close();
});

import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import * as k8s from "@kubernetes/client-node";
import { expect, type Page, test } from "@playwright/test";
import { freePort } from "../../test/peers";

// A dashboard of its own with the in-process controller on, scoped by label to this spec's namespaces.
const TOKEN = "sync-details-e2e-token-0123456789abcdef";
const EMAIL = "ops@sync-details.test";
const PASSWORD = "sync-details-password";
const suffix = Date.now().toString(36);

let server: ChildProcess;
let base: string;
let slow: http.Server;

test.beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-sync-details-e2e-"));
  const log = fs.openSync(path.join(dir, "server.log"), "w");
  server = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      DATABASE_URL: "",
      REGCRED_DATA_DIR: dir,
      REGCRED_BOOTSTRAP_TOKEN: TOKEN,
      REGCRED_ADMIN_EMAIL: EMAIL,
      REGCRED_ADMIN_PASSWORD: PASSWORD,
      REGCRED_CONTROLLER: "inprocess",
      REGCRED_WEBHOOK_PORT: "0",
      // Long enough to watch a pass wait on a cluster that never answers.
      REGCRED_CHECK_TIMEOUT_MS: "20000",
    },
    stdio: ["ignore", log, log],
  });
  await expect
    .poll(
      () =>
        fetch(`${base}/login`).then(
          (r) => r.ok,
          () => false,
        ),
      { timeout: 60_000 },
    )
    .toBe(true);
  slow = await startSlowNamespacesProxy();
});

/**
 * A plain-HTTP front for the test kube-apiserver (as the admin) that holds every namespace LIST for 30 s:
 * a cluster whose pass has started but has not listed its namespaces yet.
 */
async function startSlowNamespacesProxy(): Promise<http.Server> {
  const upstream = new URL(process.env.KUBE_API_URL!);
  const ca = fs.readFileSync(process.env.KUBE_CA_FILE!);
  const proxy = http.createServer((req, res) => {
    const forward = () => {
      const out = https.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          ca,
          headers: { ...req.headers, host: upstream.host, authorization: `Bearer ${process.env.KUBE_ADMIN_TOKEN}` },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on("error", () => res.destroy());
      req.pipe(out);
    };
    if (req.method === "GET" && /^\/api\/v1\/namespaces(\?|$)/.test(req.url ?? "")) setTimeout(forward, 30_000);
    else forward();
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return proxy;
}

test.afterAll(async () => {
  server?.kill("SIGTERM");
  slow?.closeAllConnections();
  slow?.close();
});

async function signIn(page: Page) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/registries/);
}

test("[sync] details agree with the Secrets screen: an expired secret is not 'in sync', and a secret that could not be written is not 'none needed'; a starting pass does not read 0/0", async ({
  browser,
  playwright,
}) => {
  const kubeconfig = fs.readFileSync(process.env.KUBECONFIG_ADMIN!, "utf8");
  const kc = new k8s.KubeConfig();
  kc.loadFromString(kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const [expiredNs, missingNs] = [`e2e-sd-exp-${suffix}`, `e2e-sd-ref-${suffix}`];
  const [expiredHost, refHost] = [`exp-${suffix}.example.com`, `ref-${suffix}.example.com`];
  for (const [namespace, host] of [
    [expiredNs, expiredHost],
    [missingNs, refHost],
  ] as const) {
    await core.createNamespace({ body: { metadata: { name: namespace, labels: { "e2e-sd": suffix } } } });
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: "default" } } });
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: "api" },
        spec: {
          selector: { matchLabels: { app: "api" } },
          template: {
            metadata: { labels: { app: "api" } },
            spec: { containers: [{ name: "api", image: `${host}/api:1` }] },
          },
        },
      },
    });
  }

  const api = await playwright.request.newContext({
    baseURL: `${base}/api/orgs/default/`,
    extraHTTPHeaders: { Authorization: `Bearer ${TOKEN}` },
  });
  const lapsed = new Date(Date.now() - 3_600_000).toISOString();
  for (const data of [
    { id: "exp", registry: expiredHost, type: "basic", creds: { username: "robot", password: "pw", expires: lapsed } },
    { id: "ref", registry: refHost, type: "secret_ref", secrets: { "*": { namespace: "nowhere", secret: "nothing" } } },
  ])
    expect((await api.post("registries", { data })).status()).toBe(201);
  expect(
    (
      await api.post("clusters", { data: { name: "dev", kubeconfig, namespace_selector: `e2e-sd=${suffix}` } })
    ).status(),
  ).toBe(201);
  await expect
    .poll(
      async () =>
        (await core.readNamespacedSecret({ namespace: expiredNs, name: "regcred-exp" }).catch(() => null))?.type,
      {
        timeout: 30_000,
      },
    )
    .toBe("kubernetes.io/dockerconfigjson");

  const page = await (await browser.newContext()).newPage();
  await signIn(page);
  await page.goto(`${base}/secrets`);
  await expect(page.getByRole("row").filter({ hasText: expiredNs })).toContainText("Expired");

  await page.goto(`${base}/sync`);
  const dev = page.locator('tr[data-cluster-name="dev"]');
  await dev.getByRole("button", { name: /Sync now dev/ }).click();
  await expect(dev).toContainText(/in sync|changed|nothing to change|partly failed|failed/, { timeout: 30_000 });
  await dev.getByRole("button", { name: "Details of dev" }).click();

  const expired = page.locator(`tr[data-namespace="${expiredNs}"]`);
  await expect(expired).toContainText("regcred-exp");
  await expect(expired).toContainText("Expired");
  await expect(expired.locator("td").nth(1)).toContainText("expired");
  await expect(expired.locator("td").nth(1)).not.toContainText(/in sync|updated/);

  const missing = page.locator(`tr[data-namespace="${missingNs}"]`);
  await expect(missing).toContainText("credentials unavailable");
  await expect(missing).not.toContainText("none needed");
  await expect(missing).toContainText("none written");

  // A pass that has not listed the cluster's namespaces yet: no total to show, so no "0/0".
  const slowServer = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
  const hanging = [
    "apiVersion: v1",
    "kind: Config",
    // The client library only speaks plain HTTP with TLS verification off.
    `clusters: [{name: slow, cluster: {server: "${slowServer}", insecure-skip-tls-verify: true}}]`,
    "users: [{name: slow, user: {token: via-the-proxy}}]",
    "contexts: [{name: slow, context: {cluster: slow, user: slow}}]",
    "current-context: slow",
  ].join("\n");
  expect(
    (
      await api.post("clusters", {
        data: { name: "hang", kubeconfig: hanging, namespace_selector: `e2e-sd-none=${suffix}` },
      })
    ).status(),
  ).toBe(201);
  await page.reload();
  const hang = page.locator('tr[data-cluster-name="hang"]');
  const syncNow = hang.getByRole("button", { name: /Sync now hang/ });
  if ((await syncNow.count()) > 0) await syncNow.click();
  await expect(hang).toContainText("Listing namespaces", { timeout: 45_000 });
  await expect(hang).not.toContainText("0/0");
  await api.dispose();
});

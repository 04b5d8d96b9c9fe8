import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as k8s from "@kubernetes/client-node";
import { expect, test } from "@playwright/test";
import { freePort } from "../own-server";

// A second dashboard with the in-process controller on, scoped by label to this spec's namespace,
// so it never touches what the other specs create on the shared kube-apiserver.
let BASE = "";
const TOKEN = "controller-e2e-token-0123456789abcdef";
const PASSWORD = "controller-e2e-password";

let server: ChildProcess;
const suffix = Date.now().toString(36);
const namespace = `e2e-sync-${suffix}`;

test.beforeAll(async () => {
  // A port free right now: another server answering on a fixed one would pass for this one.
  const PORT = await freePort();
  BASE = `http://127.0.0.1:${PORT}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-controller-e2e-"));
  const log = fs.openSync(path.join(dir, "server.log"), "w");
  server = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(PORT), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      DATABASE_URL: "",
      REGCRED_DATA_DIR: dir,
      REGCRED_BOOTSTRAP_TOKEN: TOKEN,
      REGCRED_ADMIN_EMAIL: "ops@controller.test",
      REGCRED_ADMIN_PASSWORD: PASSWORD,
      REGCRED_CONTROLLER: "inprocess",
      REGCRED_WEBHOOK_PORT: "0",
    },
    stdio: ["ignore", log, log],
  });
  for (
    let i = 0;
    i < 240 &&
    !(await fetch(`${BASE}/login`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  )
    await new Promise((r) => setTimeout(r, 250));
});

test.afterAll(async () => {
  server?.kill("SIGTERM");
});

test("[controller] a new Deployment gets its pull secret, shown on the Sync and Secrets screens", async ({
  browser,
  playwright,
}) => {
  const kubeconfig = fs.readFileSync(process.env.KUBECONFIG_ADMIN!, "utf8");
  const kc = new k8s.KubeConfig();
  kc.loadFromString(kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace, labels: { "e2e-sync": suffix } } } });
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: "default" } } });

  const api = await playwright.request.newContext({
    baseURL: `${BASE}/api/orgs/default/`,
    extraHTTPHeaders: { Authorization: `Bearer ${TOKEN}` },
  });
  const host = `sync-${suffix}.example.com`;
  expect(
    (
      await api.post("registries", {
        data: { id: "team", registry: host, type: "basic", creds: { username: "robot", password: "pw" } },
      })
    ).status(),
  ).toBe(201);
  expect(
    (
      await api.post("clusters", { data: { name: "dev", kubeconfig, namespace_selector: `e2e-sync=${suffix}` } })
    ).status(),
  ).toBe(201);
  await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name: "api" },
      spec: {
        selector: { matchLabels: { app: "api" } },
        template: {
          metadata: { labels: { app: "api" } },
          spec: { containers: [{ name: "api", image: `${host}/api:1.0` }] },
        },
      },
    },
  });

  await expect
    .poll(async () => (await core.readNamespacedSecret({ namespace, name: "regcred-team" }).catch(() => null))?.type, {
      timeout: 30_000,
    })
    .toBe("kubernetes.io/dockerconfigjson");
  const sa = await core.readNamespacedServiceAccount({ namespace, name: "default" });
  expect(sa.imagePullSecrets?.map((r) => r.name)).toContain("regcred-team");

  const page = await (await browser.newContext()).newPage();
  await page.goto(`${BASE}/login`);
  await page.getByLabel("Email").fill("ops@controller.test");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/registries/);

  await page.goto(`${BASE}/sync`);
  const row = page.locator('tr[data-cluster-name="dev"]');
  await row.getByRole("button", { name: /Sync now dev/ }).click();
  await expect(page.getByText("Sync of dev queued")).toBeVisible();
  await expect(row).toContainText(/in sync|nothing to change|changed/i, { timeout: 30_000 });

  await page.goto(`${BASE}/secrets`);
  const secretRow = page.getByRole("row").filter({ hasText: namespace });
  await expect(secretRow).toContainText("regcred-team");
  await expect(secretRow).toContainText(host);
  await expect(secretRow).toContainText("Valid");
  await expect(secretRow).toContainText("ServiceAccount/default");
  await api.dispose();
});

import fs from "node:fs";
import net from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { expect, test } from "../fixtures";

function adminKubeconfigFile(): string {
  const file = process.env.KUBECONFIG_ADMIN;
  if (!file)
    throw new Error(
      "KUBECONFIG_ADMIN is not set: start a kube-apiserver with scripts/peers/kube-up.sh and export it from its env file.",
    );
  return file;
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const b64 = (s: string) => Buffer.from(s).toString("base64");
const password = "e2e-canary-secret-password";
const data = (host: string) => ({
  ".dockerconfigjson": b64(
    JSON.stringify({ auths: { [host]: { username: "robot", password, auth: b64(`robot:${password}`) } } }),
  ),
});
const labels = (registry: string, expires: Date) => ({
  "app.kubernetes.io/managed-by": "regcred",
  "regcred.dev/registry": registry,
  "regcred.dev/expires": expires
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, ""),
});

test("[secrets] filter the secrets view by status and namespace, open a detail panel, see a down cluster inline", async ({
  page,
  api,
  uid,
}) => {
  const file = adminKubeconfigFile();
  const kubeconfig = fs.readFileSync(file, "utf8");
  const cluster = `sec-${uid}`;
  const down = `down-${uid}`;
  const registryId = `harbor-${uid}`;
  const host = `${registryId}.example.com`;
  const nsA = `e2e-${uid}-a`;
  const nsB = `e2e-${uid}-b`;

  const server = /server: (\S+)/.exec(kubeconfig)![1]!;
  expect((await api.post("clusters", { data: { name: cluster, kubeconfig } })).status()).toBe(201);
  expect(
    (
      await api.post("clusters", {
        data: { name: down, kubeconfig: kubeconfig.replace(server, `https://127.0.0.1:${await closedPort()}`) },
      })
    ).status(),
  ).toBe(201);
  expect(
    (
      await api.post("registries", {
        data: { id: registryId, registry: host, type: "basic", creds: { username: "robot", password } },
      })
    ).status(),
  ).toBe(201);

  const kc = new KubeConfig();
  kc.loadFromFile(file);
  const core = kc.makeApiClient(CoreV1Api);
  const now = Date.now();
  for (const namespace of [nsA, nsB]) await core.createNamespace({ body: { metadata: { name: namespace } } });
  const put = (namespace: string, name: string, l: Record<string, string>) =>
    core.createNamespacedSecret({
      namespace,
      body: { metadata: { name, labels: l }, type: "kubernetes.io/dockerconfigjson", data: data(host) },
    });
  await put(nsA, `regcred-${registryId}`, labels(registryId, new Date(now + 30 * 86_400_000)));
  await put(nsA, `regcred-gone-${uid}`, labels(`gone-${uid}`, new Date(now + 30 * 86_400_000)));
  await put(nsB, `regcred-${registryId}`, labels(registryId, new Date(now - 3_600_000)));
  await put(nsB, "regcred-manual", {});
  await core.createNamespacedServiceAccount({
    namespace: nsA,
    body: { metadata: { name: "builder" }, imagePullSecrets: [{ name: `regcred-${registryId}` }] },
  });

  try {
    await page.goto("/secrets");
    await expect(page.getByRole("heading", { level: 1, name: "Secrets" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Secrets" })).toHaveAttribute("aria-current", "page");
    await expect(page.locator(`[data-cluster-error="${down}"]`)).toContainText("unreachable: connection refused", {
      timeout: 30_000,
    });
    const row = (namespace: string, name: string) => page.locator(`tr[data-secret="${cluster}/${namespace}/${name}"]`);
    await expect(row(nsA, `regcred-${registryId}`)).toBeVisible();

    const filters = page.getByRole("search", { name: "Filter secrets" });
    await filters.getByLabel("Cluster").selectOption(cluster);
    // The test apiserver is shared: the search scopes the view to this test's namespaces.
    await filters.getByLabel("Search").fill(`e2e-${uid}`);
    const statuses = page.getByRole("group", { name: "Filter by status" });
    await expect(statuses.getByRole("button", { name: /^All/ })).toHaveText("All 4");
    await expect(statuses.getByRole("button", { name: /^Valid/ })).toHaveText("Valid 1");
    await expect(statuses.getByRole("button", { name: /^Expired/ })).toHaveText("Expired 1");
    await expect(statuses.getByRole("button", { name: /^Orphaned/ })).toHaveText("Orphaned 1");
    await expect(statuses.getByRole("button", { name: /^Not managed/ })).toHaveText("Not managed 1");

    await statuses.getByRole("button", { name: /^Expired/ }).click();
    await expect(page.locator("tbody tr")).toHaveCount(1);
    await expect(row(nsB, `regcred-${registryId}`)).toHaveAttribute("data-status", "expired");
    expect(page.url()).toContain("status=expired");

    await statuses.getByRole("button", { name: /^All/ }).click();
    await filters.getByLabel("Namespace").selectOption(nsA);
    await expect(page.locator("tbody tr")).toHaveCount(2);
    await expect(row(nsA, `regcred-gone-${uid}`)).toHaveAttribute("data-status", "orphaned");
    await expect(row(nsA, `regcred-${registryId}`)).toHaveAttribute("data-status", "valid");
    await expect(row(nsA, `regcred-${registryId}`)).toContainText(host);
    await expect(row(nsA, `regcred-${registryId}`)).toContainText("ServiceAccount/builder");
    await expect(row(nsA, `regcred-${registryId}`)).toContainText(/in 29 d 23 h|in 30 d/);

    await filters.getByLabel("Search").fill(`e2e-${uid} gone`);
    await expect(page.locator("tbody tr")).toHaveCount(1);
    await filters.getByLabel("Search").fill(`e2e-${uid}`);

    await row(nsA, `regcred-${registryId}`)
      .getByRole("button", { name: `Details of ${nsA}/regcred-${registryId} in ${cluster}` })
      .click();
    const detail = page.getByRole("dialog", { name: `${nsA}/regcred-${registryId}` });
    await expect(detail).toContainText("its credential is valid until");
    await expect(detail).toContainText(host);
    await expect(detail).toContainText("ServiceAccount builder");
    await expect(detail).toContainText("regcred.dev/registry=" + registryId);
    expect((await new AxeBuilder({ page }).include("dialog").analyze()).violations).toEqual([]);
    await detail.getByRole("button", { name: "Close" }).click();
    await expect(detail).toHaveCount(0);

    expect((await new AxeBuilder({ page }).include("main").analyze()).violations).toEqual([]);
    expect(await page.content()).not.toContain(password);
    expect(await page.content()).not.toContain(b64(`robot:${password}`));

    const apiView = await api.get(`secrets?cluster=${cluster}&status=not_managed&q=e2e-${uid}`);
    expect(apiView.status()).toBe(200);
    const body = (await apiView.json()) as {
      clusters: Array<{ name: string }>;
      secrets: Array<{ namespace: string; name: string }>;
      counts: Record<string, number>;
    };
    expect(body.clusters.map((c) => c.name)).toEqual([cluster]);
    expect(body.secrets.map((s) => `${s.namespace}/${s.name}`)).toEqual([`${nsB}/regcred-manual`]);
    expect(body.counts).toMatchObject({ total: 4, valid: 1, expired: 1, orphaned: 1, not_managed: 1 });
    expect(JSON.stringify(body)).not.toContain(password);
  } finally {
    await api.delete(`clusters/${cluster}`);
    await api.delete(`clusters/${down}`);
    await api.delete(`registries/${registryId}`);
  }
});

import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "../fixtures";

function adminKubeconfig(): string {
  const file = process.env.KUBECONFIG_ADMIN;
  if (!file)
    throw new Error(
      "KUBECONFIG_ADMIN is not set: start a kube-apiserver with scripts/peers/kube-up.sh and export it from its env file.",
    );
  return fs.readFileSync(file, "utf8");
}

test("[clusters] add a cluster from a pasted kubeconfig, test its connection, delete it", async ({ page, uid }) => {
  const kubeconfig = adminKubeconfig();
  const keyData = /client-key-data: (\S+)/.exec(kubeconfig)![1]!;
  const name = `e2e-${uid}`;

  await page.goto("/clusters");
  await expect(page.getByRole("heading", { level: 1, name: "Clusters" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Clusters" })).toHaveAttribute("aria-current", "page");
  await page.getByRole("button", { name: "Add cluster", exact: true }).click();

  const dialog = page.getByRole("dialog", { name: "Add a cluster" });
  await dialog.getByRole("textbox", { name: "Kubeconfig" }).fill(kubeconfig);
  await expect(dialog.getByLabel("Context")).toHaveValue("admin@regcred-test");
  await expect(dialog.getByRole("textbox", { name: "Name", exact: true })).toHaveValue("admin-regcred-test");
  await expect(dialog.getByText("Client certificate")).toBeVisible();
  expect((await new AxeBuilder({ page }).include("dialog").analyze()).violations).toEqual([]);
  await dialog.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`Cluster ${name} added`)).toBeVisible();
  await expect(dialog).toHaveCount(0);

  const row = page.locator(`tr[data-cluster-name="${name}"]`);
  await expect(row).toContainText("Client certificate");
  await expect(row).toContainText("All namespaces except kube-system, kube-public, kube-node-lease");
  await expect(row).toContainText("Not tested yet");
  expect(await page.content()).not.toContain(keyData.slice(0, 40));

  await row.getByRole("button", { name: `Test connection of ${name}` }).click();
  const result = page.getByRole("cell", { name: `Connection test of ${name}` });
  await expect(result.locator("[data-test-status]")).toHaveAttribute("data-test-status", "ok", { timeout: 30_000 });
  await expect(result).toContainText(/v1\.34\.\d+/);
  await expect(result).toContainText("all 30 permissions granted");
  await expect(row).toContainText(/ok\s*v1\.34\.\d+/);

  await row.getByRole("button", { name: `Delete ${name}` }).click();
  const confirm = page.getByRole("dialog", { name: `Delete cluster ${name}?` });
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText(`Cluster ${name} deleted`)).toBeVisible();
  await expect(row).toHaveCount(0);
});

test("[clusters] an exec-plugin kubeconfig is refused with a clear message", async ({ page, uid }) => {
  const exec = adminKubeconfig().replace(
    /client-certificate-data: .*\n\s*client-key-data: .*/,
    "exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws",
  );
  await page.goto("/clusters");
  await page.getByRole("button", { name: "Add cluster", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Add a cluster" });
  await dialog.getByRole("textbox", { name: "Kubeconfig" }).fill(exec);
  await expect(dialog.getByRole("alert").filter({ hasText: "exec credential plugin" })).toBeVisible();
  await dialog.getByRole("textbox", { name: "Name", exact: true }).fill(`e2e-exec-${uid}`);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(
    page.getByText(/Context "admin@regcred-test" cannot be used: user "admin" uses an exec credential plugin/).first(),
  ).toBeVisible();
  await expect(dialog).toBeVisible();
});

test("[clusters] switching to webhook wiring shows the webhook token once; mTLS needs a client CA; secret_ref namespaces are saved", async ({
  page,
  api,
  uid,
}) => {
  const name = `e2e-wh-${uid}`;
  const created = await api.post("clusters", { data: { name, kubeconfig: adminKubeconfig() } });
  expect(created.status()).toBe(201);
  await page.goto("/clusters");
  const row = page.locator(`tr[data-cluster-name="${name}"]`);
  await row.getByRole("button", { name: `Edit ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Edit cluster ${name}` });
  await dialog.getByLabel("How pods get imagePullSecrets").selectOption("webhook");
  await expect(dialog.getByLabel("Webhook caller authentication")).toHaveValue("token");
  await dialog.getByLabel("Webhook caller authentication").selectOption("mtls");
  await dialog.getByRole("textbox", { name: "secret_ref source namespaces" }).fill("ci, infra");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText("Client CA is required for client-certificate (mTLS) authentication")).toBeVisible();
  await dialog.getByLabel("Client CA (PEM)").fill("not a certificate");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(
    dialog.getByText("Client CA must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)"),
  ).toBeVisible();

  await dialog.getByLabel("Webhook caller authentication").selectOption("token");
  await dialog.getByRole("button", { name: "Save" }).click();
  const issued = page.getByRole("dialog", { name: `Webhook token for ${name}` });
  const token = (await issued.getByTestId("secret-once").textContent())!.trim();
  expect(token).toMatch(/^rcwh_/);
  await issued.getByRole("button", { name: "Done" }).click();
  await expect(issued).toHaveCount(0);

  const read = await (await api.get(`clusters/${name}`)).json();
  expect(read).toMatchObject({
    wiring: "webhook",
    webhook_auth: "token",
    webhook_token_set: true,
    secret_ref_namespaces: ["ci", "infra"],
  });
  expect(JSON.stringify(read)).not.toContain(token);
  await page.reload();
  expect(await page.content()).not.toContain(token);
  await api.delete(`clusters/${name}`);
});

import { createTestPki, type RegistryPeer, startRegistry, type TestPki } from "../../test/peers";
import { expect, test } from "../fixtures";

let pki: TestPki;
let registry: RegistryPeer;

test.beforeAll(async () => {
  pki = await createTestPki();
  registry = await startRegistry({ tls: pki.server, auth: { htpasswd: { ci: "right-password" } } });
});

test.afterAll(async () => {
  await registry?.stop();
  await pki?.remove();
});

test("[registries] a registry with a wildcard asks for the host to test, in the dialog and from its row", async ({
  page,
  uid,
}) => {
  const id = `glob-ui-${uid}`;
  const glob = `127.0.0.*:${registry.port}`;
  await page.goto("/registries");
  await page
    .getByRole("button", { name: /^Add (your first )?registry$/ })
    .first()
    .click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Username and password" }).click();
  await dialog.getByRole("textbox", { name: "ID", exact: true }).fill(id);
  const url = dialog.getByRole("textbox", { name: "URL", exact: true });
  await url.fill(registry.host);
  await expect(dialog.getByLabel("Host to test")).toHaveCount(0);
  await url.fill(glob);
  await dialog.getByLabel("Username").fill("ci");
  await dialog.getByLabel("Password").fill("right-password");
  await dialog.getByText("Private CA certificate").click();
  await dialog.getByLabel("CA certificate (PEM)").fill(pki.ca.cert);

  const host = dialog.getByLabel("Host to test");
  await expect(host).toBeVisible();
  await dialog.getByRole("button", { name: "Test credentials" }).click();
  await expect(dialog.getByText(/is required: 127\.0\.0\.\*:\d+ has a wildcard/)).toBeVisible();
  await host.fill(`127.0.0.1:${registry.port + 1}`);
  await host.press("Enter");
  await expect(dialog.getByText(/is not matched by 127\.0\.0\.\*/)).toBeVisible();
  await expect(dialog.locator("[data-check-status]")).toHaveCount(0);
  await host.fill(registry.host);
  await dialog.getByRole("button", { name: "Test credentials" }).click();
  await expect(dialog.locator("[data-check-status]")).toHaveAttribute("data-check-status", "valid");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`Registry ${id} added`)).toBeVisible();

  const row = page.locator(`tr[data-registry-id="${id}"]`);
  await row.getByRole("button", { name: `Test credentials of ${id}` }).click();
  const ask = page.getByRole("dialog", { name: `Test credentials of ${id}` });
  await ask.getByLabel("Host to test").fill(`127.0.0.1:${registry.port + 1}`);
  await ask.getByRole("button", { name: "Test" }).click();
  await expect(ask.getByText(/is not matched by 127\.0\.0\.\*/)).toBeVisible();
  await ask.getByLabel("Host to test").fill(registry.host);
  await ask.getByRole("button", { name: "Test" }).click();
  await expect(ask).toHaveCount(0);
  await expect(
    page.getByRole("cell", { name: `Credential test of ${id}` }).locator("[data-check-status]"),
  ).toHaveAttribute("data-check-status", "valid");
});

import { createTestPki, freePort, type RegistryPeer, startRegistry, type TestPki } from "../../test/peers";
import { expect, test } from "../fixtures";

test.describe("[registries] a credential test's result", () => {
  let pki: TestPki;
  let registry: RegistryPeer;

  test.beforeAll(async () => {
    pki = await createTestPki();
    registry = await startRegistry({ tls: pki.server, auth: { htpasswd: { ci: "right-password" } } });
  });
  test.afterAll(async () => {
    await registry?.stop();
  });

  test("[registries] a failed test in the dialog says it once, says what to check, and is scrolled into view", async ({
    page,
    uid,
  }) => {
    // A short window: the dialog's body scrolls, and the result lands below the fold.
    await page.setViewportSize({ width: 1024, height: 560 });
    const closed = `127.0.0.1:${await freePort()}`;
    await page.goto("/registries");
    await page.getByRole("button", { name: "Add registry", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Username and password" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "ID", exact: true }).fill(`down-${uid}`);
    await dialog.getByRole("textbox", { name: "URL", exact: true }).fill(closed);
    await dialog.getByLabel("Username").fill("ci");
    await dialog.getByLabel("Password").fill("whatever");
    await dialog.getByRole("button", { name: "Test credentials" }).click();

    const result = dialog.locator("[data-check-status]");
    await expect(result).toHaveAttribute("data-check-status", "unreachable");
    await expect(result).toBeInViewport();
    const refused = `connection refused to ${closed}`;
    await expect(result).toContainText(new RegExp(refused, "i"));
    const text = (await result.textContent()) ?? "";
    expect(text.toLowerCase().split(refused.toLowerCase()).length - 1, text).toBe(1);
    await expect(result.getByTestId("check-hint")).toContainText(/What to check:.*port/);

    // The result belongs to what was tested: another URL and it goes.
    await dialog.getByRole("textbox", { name: "URL", exact: true }).fill(registry.host);
    await expect(result).toHaveCount(0);
  });

  test("[registries] a wrong password's result names the login step and what to check", async ({ page, uid }) => {
    await page.goto("/registries");
    await page.getByRole("button", { name: "Add registry", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Username and password" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "ID", exact: true }).fill(`wrong-${uid}`);
    await dialog.getByRole("textbox", { name: "URL", exact: true }).fill(registry.host);
    await dialog.getByLabel("Username").fill("ci");
    await dialog.getByLabel("Password").fill("wrong-password");
    await dialog.getByText("Private CA certificate").click();
    await dialog.getByLabel("CA certificate (PEM)").fill(pki.ca.cert);
    await dialog.getByRole("button", { name: "Test credentials" }).click();
    const result = dialog.locator("[data-check-status]");
    await expect(result).toHaveAttribute("data-check-status", "invalid");
    await expect(result.getByTestId("check-hint")).toContainText("Check the username and password");
    await expect(result.getByRole("list", { name: "Check steps" })).toContainText("Login");
  });

  test("[registries] after an edit resets the test, the old failure is no longer shown under the row", async ({
    page,
    api,
    uid,
  }) => {
    const id = `stale-${uid}`;
    const created = await api.post("registries", {
      data: {
        id,
        registry: registry.host,
        type: "basic",
        creds: { username: "ci", password: "wrong-password" },
        ca_cert: pki.ca.cert,
      },
    });
    expect(created.status()).toBe(201);
    await page.goto("/registries");
    const row = page.getByRole("row").filter({ hasText: id }).first();
    await row.getByRole("button", { name: `Test credentials of ${id}` }).click();
    const panel = page.getByRole("cell", { name: `Credential test of ${id}` });
    await expect(panel.locator("[data-check-status]")).toHaveAttribute("data-check-status", "invalid");
    await expect(row).toContainText("invalid");

    await row.getByRole("button", { name: `Edit ${id}` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Password").fill("right-password");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(`Registry ${id} saved`)).toBeVisible();
    await expect(row).toContainText("Not tested yet");
    await expect(panel).toHaveCount(0);

    await row.getByRole("button", { name: `Test credentials of ${id}` }).click();
    await expect(panel.locator("[data-check-status]")).toHaveAttribute("data-check-status", "valid");
  });
});

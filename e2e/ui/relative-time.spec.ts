import { createTestPki, type RegistryPeer, startRegistry, type TestPki } from "../../test/peers";
import { expect, test } from "../fixtures";

// Each case opens the page first, so its clock is already running when the new row appears: the row's time
// comes from the server and is newer than the page's "now" until that now is read again.
test.describe("[time] what was just created or tested reads as past", () => {
  let pki: TestPki;
  let registry: RegistryPeer;

  test.beforeAll(async () => {
    pki = await createTestPki();
    registry = await startRegistry({ tls: pki.server, auth: { htpasswd: { ci: "right-password" } } });
  });
  test.afterAll(async () => {
    await registry?.stop();
  });

  test("[time] a registry added and tested while the page is open reads 'just now', then '2 min ago'", async ({
    page,
    api,
    uid,
  }) => {
    await page.clock.install();
    const older = `older-${uid}`;
    expect(
      (
        await api.post("registries", { data: { id: older, registry: `${older}.example.com`, type: "public" } })
      ).status(),
    ).toBe(201);
    await page.goto("/registries");
    await expect(page.getByRole("row").filter({ hasText: older })).toContainText("just now");

    const id = `fresh-${uid}`;
    await page.getByRole("button", { name: "Add registry", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Username and password" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "ID", exact: true }).fill(id);
    await dialog.getByRole("textbox", { name: "URL", exact: true }).fill(registry.host);
    await dialog.getByLabel("Username").fill("ci");
    await dialog.getByLabel("Password").fill("right-password");
    await dialog.getByText("Private CA certificate").click();
    await dialog.getByLabel("CA certificate (PEM)").fill(pki.ca.cert);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(`Registry ${id} added`)).toBeVisible();

    const row = page.getByRole("row").filter({ hasText: id }).first();
    await expect(row).toContainText("just now");
    await expect(row).not.toContainText(/in under a minute|in \d/);

    await row.getByRole("button", { name: `Test credentials of ${id}` }).click();
    await expect(row).toContainText(/valid\s*just now/);
    await expect(page.getByText("in under a minute")).toHaveCount(0);

    // Two minutes on: the times move on by themselves, with no reload.
    await page.clock.fastForward("02:01");
    await expect(row).toContainText("2 min ago");
    await expect(row).toContainText(/valid\s*2 min ago/);
    await expect(page.getByRole("row").filter({ hasText: older })).toContainText("2 min ago");
  });

  test("[time] a user invited while Settings is open has joined 'just now'", async ({ page, uid }) => {
    await page.goto("/settings");
    await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();
    const email = `${uid}@e2e.test`;
    await page.getByRole("button", { name: "Invite user" }).click();
    const form = page.getByRole("dialog", { name: "Invite a user" });
    await form.getByLabel("Email").fill(email);
    await form.getByRole("button", { name: "Invite" }).click();
    await page
      .getByRole("dialog", { name: `Invite ${email}` })
      .getByRole("button", { name: "Done" })
      .click();
    const row = page.getByRole("row").filter({ hasText: email });
    await expect(row).toContainText("invite pending");
    await expect(row).toContainText("just now");
    await expect(row).not.toContainText("in under a minute");
  });
});

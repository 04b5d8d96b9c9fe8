import { expect, test } from "../fixtures";
import { ADMIN_EMAIL, BASE_URL, ORG } from "../env";

const registriesUrl = `${BASE_URL}/api/orgs/${ORG}/registries`;

test("[settings] create an API token, use it once shown, then revoke it", async ({
  page,
  context,
  playwright,
  uid,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE_URL });
  const name = `ui-${uid}`;
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();

  await page.getByRole("button", { name: "Create token" }).click();
  const form = page.getByRole("dialog", { name: "Create an API token" });
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByText("Name is required")).toBeVisible();
  await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");

  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Role").selectOption("manager");
  await form.getByLabel("Allow CI credential reads").check();
  await form.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByRole("dialog", { name: `Token ${name} created` });
  await expect(shown.getByText("You won't see it again.")).toBeVisible();
  const token = (await shown.getByTestId("secret-once").textContent())?.trim() ?? "";
  expect(token).toMatch(/^rgc_/);
  await shown.getByRole("button", { name: "Copy api token" }).click();
  await expect(page.getByText("Copied", { exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(shown).toBeHidden();

  const row = page.locator("tr", { has: page.getByRole("cell", { name, exact: true }) });
  await expect(row).toContainText(token.slice(0, 8));
  await expect(row).toContainText("manager");
  await expect(row).toContainText("CI reads");
  await expect(row).toContainText("active");
  await expect(page.getByText(token)).toHaveCount(0);

  const anon = await playwright.request.newContext();
  expect((await anon.get(registriesUrl, { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(200);

  await row.getByRole("button", { name: `Revoke token ${name}` }).click();
  const confirm = page.getByRole("dialog", { name: `Revoke token ${name}?` });
  await confirm.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByText(`Token ${name} revoked`)).toBeVisible();
  await expect(row).toContainText("revoked");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);

  expect((await anon.get(registriesUrl, { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
  await anon.dispose();
});

test("[settings] invite a user who sets a password and lands signed in as a viewer", async ({ page, browser, uid }) => {
  const email = `${uid}@e2e.test`;
  await page.goto("/settings");
  await page.getByRole("button", { name: "Invite user" }).click();
  const form = page.getByRole("dialog", { name: "Invite a user" });
  await form.getByLabel("Email").fill(email);
  await expect(form.getByLabel("Role")).toHaveValue("viewer");
  await form.getByRole("button", { name: "Invite" }).click();

  const shown = page.getByRole("dialog", { name: `Invite ${email}` });
  await expect(shown.getByText("You won't see it again.")).toBeVisible();
  const link = (await shown.getByTestId("secret-once").textContent())?.trim() ?? "";
  expect(link).toMatch(new RegExp(`^${BASE_URL.replace(/[.]/g, "\\.")}/invite/[\\w-]+$`));
  await shown.getByRole("button", { name: "Done" }).click();
  const row = page.locator("tr", { hasText: email });
  await expect(row).toContainText("invite pending");
  await expect(row.getByLabel(`Role of ${email}`)).toHaveValue("viewer");

  const fresh = await browser.newContext({ baseURL: BASE_URL, storageState: { cookies: [], origins: [] } });
  const invitee = await fresh.newPage();
  await invitee.goto(link);
  await expect(invitee.getByRole("heading", { name: "Join Regcred" })).toBeVisible();
  await expect(invitee.getByLabel("Email")).toHaveValue(email);
  await invitee.getByLabel("Your name").fill("Ina Invitee");
  await invitee.getByLabel("Password").fill("too-short");
  await invitee.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(invitee.getByText("Password must be at least 12 characters")).toBeVisible();
  await invitee.getByLabel("Password").fill("a-long-enough-password");
  await invitee.getByRole("button", { name: "Set password and sign in" }).click();

  await expect(invitee).toHaveURL(/\/registries$/);
  await expect(invitee.getByRole("heading", { name: "Registries", exact: true })).toBeVisible();
  await expect(invitee.locator(".sidebar-foot")).toContainText(email);
  await expect(invitee.locator(".sidebar-foot")).toContainText("viewer");
  await expect(invitee.getByRole("button", { name: /Add (your first )?registry/ })).toHaveCount(0);

  await invitee.goto("/settings");
  await expect(invitee.getByRole("heading", { name: "Settings need the admin role" })).toBeVisible();
  await expect(invitee.getByRole("button", { name: "Create token" })).toHaveCount(0);

  await invitee.goto(link);
  await expect(invitee.getByRole("heading", { name: "This invite link does not work" })).toBeVisible();
  await fresh.close();

  await page.reload();
  await expect(row).not.toContainText("invite pending");
  await expect(row).toContainText("Ina Invitee");

  await row.getByRole("button", { name: `Remove ${email}` }).click();
  await page
    .getByRole("dialog", { name: `Remove ${email}?` })
    .getByRole("button", { name: "Remove" })
    .click();
  await expect(page.getByText(`${email} removed`)).toBeVisible();
  await expect(row).toHaveCount(0);
});

test("[settings] changing roles shows the server's refusal to demote the last admin", async ({ page, api, uid }) => {
  const members: Array<{ userId: string; email: string; role: string }> = await (await api.get("users")).json();
  for (const m of members) {
    if (m.role === "admin" && m.email !== ADMIN_EMAIL)
      expect((await api.patch(`users/${m.userId}`, { data: { role: "viewer" } })).status()).toBe(200);
  }
  const email = `${uid}@e2e.test`;
  expect((await api.post("users", { data: { email, role: "viewer" } })).status()).toBe(201);

  await page.goto("/settings");
  const other = page.getByLabel(`Role of ${email}`);
  await other.selectOption("manager");
  await expect(page.getByText(`${email} is now manager`)).toBeVisible();
  await expect(other).toHaveValue("manager");

  const mine = page.getByLabel(`Role of ${ADMIN_EMAIL}`);
  await mine.selectOption("viewer");
  await expect(
    page.getByText(
      "An org needs at least one admin who can sign in; promote someone who has accepted their invite first.",
    ),
  ).toBeVisible();
  await expect(mine).toHaveValue("admin");
  await expect(page.locator("tr", { hasText: ADMIN_EMAIL }).getByRole("button", { name: /Remove/ })).toHaveCount(0);

  await page.reload();
  await expect(page.getByLabel(`Role of ${email}`)).toHaveValue("manager");
  const after: Array<{ userId: string; email: string }> = await (await api.get("users")).json();
  const added = after.find((m) => m.email === email);
  expect((await api.delete(`users/${added!.userId}`)).status()).toBe(204);
});

test("[settings] a pending member gets a new invite link that replaces the old one", async ({ page, api, uid }) => {
  const email = `relink-${uid}@e2e.test`;
  const invited = await api.post("users", { data: { email, role: "manager" } });
  expect(invited.status()).toBe(201);
  const first = new URL((await invited.json()).invite_url).pathname;

  await page.goto("/settings");
  const row = page.locator("tr", { hasText: email });
  await expect(row).toContainText("invite pending");
  await row.getByRole("button", { name: `New invite link for ${email}` }).click();
  const shown = page.getByRole("dialog", { name: `Invite ${email}` });
  await expect(shown.getByText("An earlier link for this org stops working.")).toBeVisible();
  const link = (await shown.getByTestId("secret-once").textContent())?.trim() ?? "";
  expect(new URL(link).pathname).not.toBe(first);
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(row.getByLabel(`Role of ${email}`)).toHaveValue("manager");

  const other = await page
    .context()
    .browser()!
    .newContext({ baseURL: BASE_URL, storageState: { cookies: [], origins: [] } });
  const old = await other.newPage();
  await old.goto(first);
  await expect(old.getByRole("heading", { name: "This invite link does not work" })).toBeVisible();
  await old.goto(new URL(link).pathname);
  await expect(old.getByRole("heading", { name: "Join Regcred" })).toBeVisible();
  await other.close();
  const members: Array<{ userId: string; email: string }> = await (await api.get("users")).json();
  expect((await api.delete(`users/${members.find((m) => m.email === email)!.userId}`)).status()).toBe(204);
});

import type { Page } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD, BASE_URL, ORG } from "../env";
import { expect, test } from "../fixtures";

const freshState = { cookies: [], origins: [] };

async function signInPage(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Registries", exact: true })).toBeVisible();
}

test("[orgs] an instance admin creates an org in Settings and switches to it with the keyboard, at phone width too", async ({
  browser,
  uid,
}) => {
  // A session of its own: switching moves the session, and the shared admin session must stay in the e2e org.
  const context = await browser.newContext({ baseURL: BASE_URL, storageState: freshState });
  const page = await context.newPage();
  await signInPage(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  const org = `ui-${uid}`;

  await page.goto("/settings");
  await page.getByRole("button", { name: "Create org" }).click();
  const dialog = page.getByRole("dialog", { name: "Create an org" });
  await dialog.getByLabel("Id").fill("Not An Id");
  await dialog.getByRole("button", { name: "Create org" }).click();
  await expect(dialog.getByText("Org ID can only use lowercase letters, digits and hyphens")).toBeVisible();
  await dialog.getByLabel("Id").fill(org);
  await dialog.getByLabel("Name").fill(`UI ${uid}`);
  await dialog.getByRole("button", { name: "Create org" }).click();
  await expect(page.getByText(`Org ${org} created; you are its admin`)).toBeVisible();
  await expect(page.locator(`tr[data-org-id="${org}"] td`).nth(2)).toHaveText("1");

  const switcher = page.getByRole("form", { name: "Switch org" });
  const select = switcher.getByLabel("Org");
  await expect(select).toHaveValue(ORG);
  await select.focus();
  await select.selectOption(org);
  await page.keyboard.press("Tab");
  await expect(switcher.getByRole("button", { name: "Switch" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/settings$/);
  await expect(select).toHaveValue(org);
  await expect(page.getByText(`API tokens and the users of org ${org}.`)).toBeVisible();

  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto("/registries");
  // On a phone the switcher sits in the menu.
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(select).toBeVisible();
  await select.selectOption(ORG);
  await switcher.getByRole("button", { name: "Switch" }).click();
  // Switching reloads the frame and closes the menu; open it again to read the switcher.
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await page.waitForLoadState("networkidle");
  await menu.click();
  await expect(select).toHaveValue(ORG);

  // From the e2e org, the Orgs panel adds a member to the new org.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/settings");
  const newcomer = `newcomer-${uid}@e2e.test`;
  await page.getByRole("button", { name: `Add member to ${org}` }).click();
  const add = page.getByRole("dialog", { name: `Add a member to ${org}` });
  await add.getByLabel("Email").fill(newcomer);
  await add.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByRole("dialog", { name: `Invite ${newcomer}` }).getByTestId("secret-once")).toContainText(
    "/invite/",
  );
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.locator(`tr[data-org-id="${org}"] td`).nth(2)).toHaveText("2");
  const members: Array<{ email: string; pending: boolean }> = await (
    await page.request.get(`/api/orgs/${org}/users`)
  ).json();
  expect(members.find((m) => m.email === newcomer)).toMatchObject({ pending: true });
  await context.close();
});

test("[orgs] a user removed from their only org gets a page that says so, not a dead end", async ({
  browser,
  api,
  uid,
}) => {
  const email = `gone-${uid}@e2e.test`;
  const invited = await api.post("users", { data: { email, role: "viewer" } });
  expect(invited.status()).toBe(201);
  const link = new URL((await invited.json()).invite_url).pathname;

  const context = await browser.newContext({ baseURL: BASE_URL, storageState: freshState });
  const page = await context.newPage();
  await page.goto(link);
  await page.getByLabel("Your name").fill("Gone Soon");
  await page.getByLabel("Password").fill("gone-soon-password");
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(page.getByRole("heading", { name: "Registries", exact: true })).toBeVisible();

  const members: Array<{ userId: string; email: string }> = await (await api.get("users")).json();
  expect((await api.delete(`users/${members.find((m) => m.email === email)!.userId}`)).status()).toBe(204);

  await page.goto("/registries");
  await expect(page).toHaveURL(/\/no-org$/);
  await expect(page.getByRole("heading", { name: "You are not a member of any org" })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("gone-soon-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(
    page.getByText("Your account is not a member of any org any more. Ask an admin of your org to add you again."),
  ).toBeVisible();
  await context.close();
});

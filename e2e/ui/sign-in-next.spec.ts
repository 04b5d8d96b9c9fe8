import type { Browser, Page } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD, BASE_URL } from "../env";
import { expect, test } from "../fixtures";

async function signedOut(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE_URL, storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

async function signIn(page: Page) {
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("[auth] a deep link survives sign-in: the page and its filters open after signing in", async ({ browser }) => {
  const page = await signedOut(browser);
  await page.goto("/secrets?status=expired");
  await expect(page).toHaveURL(/\/login\?next=%2Fsecrets%3Fstatus%3Dexpired$/);
  await signIn(page);
  await expect(page).toHaveURL(`${BASE_URL}/secrets?status=expired`);
  await expect(page.getByRole("heading", { level: 1, name: "Secrets" })).toBeVisible();

  // Signed in already, the sign-in page sends the user on to where they were going.
  await page.goto("/login?next=%2Fclusters");
  await expect(page).toHaveURL(`${BASE_URL}/clusters`);
  await page.context().close();
});

test("[auth] a sign-in link cannot send the user to another site", async ({ browser }) => {
  for (const next of [
    "//evil.example/registries",
    "https://evil.example/registries",
    "/\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
  ]) {
    const page = await signedOut(browser);
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await signIn(page);
    await expect(page, next).toHaveURL(`${BASE_URL}/registries`);
    await page.context().close();
  }
});

import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures";

async function expectAccessible(page: Page) {
  expect((await new AxeBuilder({ page }).include("main").analyze()).violations).toEqual([]);
}

test("[audit] admins filter the audit log, load older entries, and read it by keyboard, in dark mode and at 390 px", async ({
  page,
  api,
  uid,
}) => {
  test.setTimeout(120_000);
  const target = `ui-audit-${uid}`;
  expect(
    (
      await api.post("registries", { data: { id: target, registry: `${target}.example.com`, type: "public" } })
    ).status(),
  ).toBe(201);
  for (let i = 0; i < 55; i++) {
    expect((await api.post("tokens", { data: { name: `ui-audit-${uid}-${i}`, role: "viewer" } })).status()).toBe(201);
  }

  await page.goto("/registries");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  const rows = page.locator("main tbody tr");
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText("token.create");
  await expect(page.getByRole("status")).toHaveText("50 entries shown; older entries can be loaded");
  await expectAccessible(page);

  const loadMore = page.getByRole("button", { name: "Load more" });
  await loadMore.focus();
  await page.keyboard.press("Enter");
  await expect.poll(() => rows.count()).toBeGreaterThan(50);

  const targetInput = page.getByLabel("Target");
  await targetInput.fill(target);
  await targetInput.press("Enter");
  await expect(page).toHaveURL(new RegExp(`target=${target}`));
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("registry.create");
  await expect(rows.first()).toContainText(target);
  await expect(rows.first().locator("time")).toHaveText(/just now|min ago/);
  await expect(page.getByText("This is the oldest entry.")).toBeVisible();

  await page.getByLabel("Action").fill("token.revoke");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByRole("heading", { name: "No entries match these filters" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(50);

  await page.emulateMedia({ colorScheme: "dark" });
  await expectAccessible(page);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByLabel("Target").fill(target);
  await page.getByLabel("Target").press("Enter");
  await expect(rows).toHaveCount(1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const cell = rows.first().getByText(target, { exact: true });
  await cell.scrollIntoViewIfNeeded();
  await expect(cell).toBeInViewport({ ratio: 1 });
  const box = (await rows.first().boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await expectAccessible(page);
  await page.emulateMedia({ colorScheme: "light" });
  await expectAccessible(page);
});

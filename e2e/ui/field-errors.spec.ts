import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures";

async function openAdd(page: Page, typeLabel: string) {
  await page.goto("/registries");
  await page.getByRole("button", { name: "Add registry", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: typeLabel }).click();
}

const internals = /\^\[|for type |amazon_ecr|secret_ref|must be a string|^is required|^must /m;

test("[errors] the registry dialog names each field in plain words, and a corrected field loses its error at once", async ({
  page,
}) => {
  await openAdd(page, "Amazon ECR");
  const dialog = page.getByRole("dialog", { name: "Add an Amazon ECR registry" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Save" }).click();

  const id = dialog.getByRole("textbox", { name: "ID", exact: true });
  const url = dialog.getByRole("textbox", { name: "URL", exact: true });
  const accessKey = dialog.getByLabel("Access key ID");
  await expect(dialog.getByText("ID is required", { exact: true })).toBeVisible();
  await expect(dialog.getByText("Registry URL is required", { exact: true })).toBeVisible();
  await expect(dialog.getByText("Access key ID is required for Amazon ECR", { exact: true })).toBeVisible();
  await expect(dialog.getByText("Secret access key is required for Amazon ECR", { exact: true })).toBeVisible();
  const alerts = await dialog.getByRole("alert").allTextContents();
  expect(alerts.length).toBeGreaterThanOrEqual(4);
  for (const text of alerts) expect(text).not.toMatch(internals);

  // Still wrong: the message follows what is typed. Right: the error goes, before Save is pressed again.
  await id.fill("My_Registry");
  await expect(
    dialog.getByText(
      "ID can only use lowercase letters, digits and hyphens, and must start and end with a letter or digit",
    ),
  ).toBeVisible();
  await expect(id).toHaveAttribute("aria-invalid", "true");
  await id.fill("ab");
  await expect(dialog.getByText("ID must be at least 3 characters")).toBeVisible();
  await id.fill("ecr-team");
  await expect(id).not.toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByRole("alert").filter({ hasText: /^ID / })).toHaveCount(0);

  await url.fill("https://123456789012.dkr.ecr.eu-west-1.amazonaws.com");
  await expect(dialog.getByText(/^Registry URL must not include a scheme such as https:\/\//)).toBeVisible();
  await url.fill("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
  await expect(dialog.getByRole("alert").filter({ hasText: /^Registry URL/ })).toHaveCount(0);

  await accessKey.fill("AKIAEXAMPLE");
  await expect(dialog.getByText("Access key ID is required for Amazon ECR")).toHaveCount(0);
  // A field nobody touched keeps its error until it is fixed.
  await expect(dialog.getByText("Secret access key is required for Amazon ECR")).toBeVisible();
});

test("[errors] a username-and-password registry has a title a person would write", async ({ page }) => {
  await openAdd(page, "Username and password");
  await expect(page.getByRole("dialog", { name: "Add a registry with username and password" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Username and password registry/ })).toHaveCount(0);
});

test("[errors] a secret reference to no known cluster says what to do", async ({ page, uid }) => {
  await openAdd(page, "Secret reference");
  const dialog = page.getByRole("dialog", { name: "Add a registry from an existing secret" });
  await dialog.getByRole("textbox", { name: "ID", exact: true }).fill(`ref-${uid}`);
  await dialog.getByRole("textbox", { name: "URL", exact: true }).fill(`ref-${uid}.example.com`);
  await dialog.getByLabel("Cluster key, row 1").fill(`nowhere-${uid}`);
  await dialog.getByLabel("Namespace, row 1").fill("ci");
  await dialog.getByLabel("Secret name, row 1").fill("pull");
  await dialog.getByRole("button", { name: "Test credentials" }).click();
  const result = dialog.locator("[data-check-status]");
  await expect(result).toHaveAttribute("data-check-status", "invalid");
  await expect(result).toContainText("use a name from the Clusters page, or * for every cluster");
  await expect(result).not.toContainText("the secrets map covers no cluster");
});

test("[errors] settings forms drop a field's error as soon as it is edited", async ({ page }) => {
  await page.goto("/settings");
  await page.getByRole("button", { name: "Create token" }).click();
  const form = page.getByRole("dialog", { name: "Create an API token" });
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByText("Name is required")).toBeVisible();
  await form.getByLabel("Name").fill("deploy");
  await expect(form.getByText("Name is required")).toHaveCount(0);
  await expect(form.getByLabel("Name")).not.toHaveAttribute("aria-invalid", "true");
});

import fs from "node:fs";
import { SERVER_LOG } from "../env";
import { expect, test } from "../fixtures";

test("[registries] the Registries page never carries stored credentials", async ({ api, page, uid }) => {
  const canary = `canary-${uid}-SECRET`;
  const bodies = [
    {
      id: `uileak-basic-${uid}`,
      registry: `uileak-${uid}.example.com`,
      type: "basic",
      creds: { username: `user-${canary}`, password: `${canary}-basic` },
    },
    {
      id: `uileak-ecr-${uid}`,
      registry: `${uid.replace(/\D/g, "").padEnd(12, "3").slice(0, 12)}.dkr.ecr.us-east-2.amazonaws.com`,
      type: "amazon_ecr",
      creds: { username: `key-${canary}`, password: `${canary}-ecr` },
    },
    {
      id: `uileak-acr-${uid}`,
      registry: `uileak${uid}.azurecr.io`,
      type: "azure_acr",
      creds: { username: `sp-${canary}`, password: `${canary}-acr` },
    },
  ];
  for (const body of bodies) expect((await api.post("registries", { data: body })).status()).toBe(201);

  const bodiesSeen: Array<Promise<string>> = [];
  page.on("requestfinished", (req) => {
    bodiesSeen.push(
      req.response().then(async (res) => {
        const type = res?.headers()["content-type"] ?? "";
        return res && /text|json|x-component/.test(type) ? `${req.url()}\n${await res.text()}` : "";
      }),
    );
  });

  await page.goto("/registries");
  await expect(page.getByRole("heading", { name: "Registries", exact: true })).toBeVisible();
  for (const body of bodies) await expect(page.locator(`tr[data-registry-id="${body.id}"]`)).toBeVisible();
  const html = await page.content();
  expect(html).toContain(bodies[0]!.registry);
  expect(html).not.toContain(canary);

  for (const body of bodies) {
    await page.getByRole("button", { name: `Edit ${body.id}`, exact: true }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    const values = await dialog
      .locator("input, textarea")
      .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
    expect(values.join("\n")).not.toContain(canary);
    expect(await page.content()).not.toContain(canary);
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
  }

  await page.reload();
  await expect(page.locator(`tr[data-registry-id="${bodies[0]!.id}"]`)).toBeVisible();
  const texts = await Promise.all(bodiesSeen);
  expect(texts.join("\n"), "the captured responses include the page's data").toContain(bodies[1]!.registry);
  for (const text of texts) expect(text).not.toContain(canary);

  for (const body of bodies) expect((await api.delete(`registries/${body.id}`)).status()).toBe(204);
  expect(fs.readFileSync(SERVER_LOG, "utf8")).not.toContain(canary);
});

import fs from "node:fs";
import { expect, test } from "../fixtures";

function kubeconfigWithContext(context: string): string {
  const file = process.env.KUBECONFIG_ADMIN;
  if (!file) throw new Error("KUBECONFIG_ADMIN is not set: source the peers' env file.");
  return fs.readFileSync(file, "utf8").replaceAll("admin@regcred-test", context);
}

test("[clusters] a name taken from the context never repeats an existing cluster's, and says where it came from", async ({
  page,
  api,
  uid,
}) => {
  const context = `ctx-${uid}`;
  const kubeconfig = kubeconfigWithContext(context);
  expect((await api.post("clusters", { data: { name: context, kubeconfig } })).status()).toBe(201);
  try {
    await page.goto("/clusters");
    await page.getByRole("button", { name: "Add cluster", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Add a cluster" });
    await dialog.getByRole("textbox", { name: "Kubeconfig" }).fill(kubeconfig);
    await expect(dialog.getByLabel("Context")).toHaveValue(context);
    const name = dialog.getByRole("textbox", { name: "Name", exact: true });
    await expect(name).toHaveValue(`${context}-2`);
    await expect(
      dialog.getByText(`Suggested from the context ${context} (a cluster named ${context} exists`),
    ).toBeVisible();
    await expect(dialog.getByRole("note")).toContainText(`already added as cluster ${context}`);

    // No name at all is refused on the field, not filled in behind the user's back.
    await name.fill("");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog.getByText("Name is required")).toBeVisible();
    await expect(name).toHaveAttribute("aria-invalid", "true");
    const clusters: Array<{ name: string }> = await (await api.get("clusters")).json();
    expect(clusters.filter((c) => c.name.startsWith(context)).map((c) => c.name)).toEqual([context]);

    await name.fill(`${context}-2`);
    await expect(dialog.getByText("Name is required")).toHaveCount(0);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(`Cluster ${context}-2 added`)).toBeVisible();
  } finally {
    await api.delete(`clusters/${context}`);
    await api.delete(`clusters/${context}-2`);
  }
});

import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createTestPki, type RegistryPeer, setupEcrIdentities, startRegistry, type TestPki } from "../../test/peers";
import { ORG } from "../env";
import { expect, test } from "../fixtures";

async function expectNoSeriousA11yViolations(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${what}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

async function openAddDialog(page: Page, typeLabel: string) {
  await page.goto("/registries");
  await page
    .getByRole("button", { name: /^Add (your first )?registry$/ })
    .first()
    .click();
  await page.getByRole("dialog").getByRole("button", { name: typeLabel }).click();
}

test.describe("[registries] screen", () => {
  let pki: TestPki;
  let registry: RegistryPeer;

  test.beforeAll(async () => {
    pki = await createTestPki();
    registry = await startRegistry({ tls: pki.server, auth: { htpasswd: { ci: "right-password" } } });
  });
  test.afterAll(async () => {
    await registry?.stop();
  });

  test("[registries] add an ECR registry through the dialog, edit it with secrets kept, delete it", async ({
    page,
    api,
    uid,
  }) => {
    const keys = (await setupEcrIdentities(process.env.MOTO_URL!)).ecrUser;
    const id = `ecr-${uid}`;
    const host = `${String(Date.now()).slice(-12).padStart(12, "1")}.dkr.ecr.us-east-1.amazonaws.com`;
    await openAddDialog(page, "Amazon ECR");
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog.getByText("ID is required", { exact: true })).toBeVisible();
    await dialog.getByRole("textbox", { name: "ID", exact: true }).fill(id);
    await dialog.getByRole("textbox", { name: "URL", exact: true }).fill(host);
    await dialog.getByLabel("Access key id").fill(keys.accessKeyId);
    await dialog.getByLabel("Secret access key").fill(keys.secretAccessKey);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(`Registry ${id} added`)).toBeVisible();
    const row = page.locator(`tr[data-registry-id="${id}"]`);
    await expect(row).toContainText(host);
    await expect(row).toContainText("Amazon ECR");

    await row.getByRole("button", { name: `Edit ${id}` }).click();
    await expect(dialog.getByLabel("Secret access key")).toHaveAttribute("placeholder", /stored/);
    await expect(dialog.getByLabel("Secret access key")).toHaveValue("");
    await dialog.getByRole("switch", { name: "Make credentials available to CI" }).check();
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(`Registry ${id} saved`)).toBeVisible();
    await expect(row).toContainText("available");

    // The kept keys still mint a token: /creds signs GetAuthorizationToken with them.
    const creds = await api.get(`registries/${id}/creds`);
    expect(creds.status()).toBe(200);
    expect(await creds.json()).toMatchObject({ registry: host, username: "AWS" });

    await row.getByRole("button", { name: `Delete ${id}` }).click();
    await expect(page.getByRole("dialog")).toContainText(`Delete registry ${id}?`);
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await expect(page.getByText(`Registry ${id} deleted`)).toBeVisible();
    await expect(row).toHaveCount(0);
    expect((await api.get(`registries/${id}`)).status()).toBe(404);
  });

  test("[registries] ECR authentication: the server's identity is off for this org, a role ARN is checked inline, the external ID is shown", async ({
    page,
    api,
    uid,
  }) => {
    const org = (await (await api.get(`/api/orgs/${ORG}`)).json()) as { aws_external_id: string };
    const id = `role-${uid}`;
    const host = `${String(Date.now() + 7)
      .slice(-12)
      .padStart(12, "2")}.dkr.ecr.us-east-1.amazonaws.com`;
    await openAddDialog(page, "Amazon ECR");
    const dialog = page.getByRole("dialog");
    const auth = dialog.getByRole("group", { name: "Authentication" });
    await expect(auth.getByRole("radio", { name: "Access keys", exact: true })).toBeChecked();
    await expect(auth.getByRole("radio", { name: "Server's AWS identity", exact: true })).toBeDisabled();
    await expect(auth.getByRole("radio", { name: "Assume a role, from the server's AWS identity" })).toBeDisabled();
    await expect(auth).toContainText("an instance admin can allow it under Settings → Orgs");
    await auth.getByRole("radio", { name: "Assume a role, from access keys" }).check();
    await dialog.getByRole("textbox", { name: "ID", exact: true }).fill(id);
    await dialog.getByRole("textbox", { name: "URL", exact: true }).fill(host);
    await dialog.getByLabel("Access key id").fill("AKIAIOSFODNN7EXAMPLE");
    await dialog.getByLabel("Secret access key").fill("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    await dialog.getByRole("textbox", { name: "Role ARN" }).fill("arn:aws:iam::123456789012:user/bob");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog.getByText(/^Role ARN \(aws_role_arn\) must be an IAM role ARN/)).toBeVisible();
    await dialog.getByRole("textbox", { name: "Role ARN" }).fill("arn:aws:iam::123456789012:role/regcred-pull");
    await dialog.getByRole("checkbox", { name: "Send this org's external ID" }).check();
    await expect(dialog.getByTestId("org-external-id")).toHaveText(org.aws_external_id);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(`Registry ${id} added`)).toBeVisible();
    expect(await (await api.get(`registries/${id}`)).json()).toMatchObject({
      aws_role_arn: "arn:aws:iam::123456789012:role/regcred-pull",
      aws_use_external_id: true,
    });
    await expectNoSeriousA11yViolations(page, "registries page after adding a role");
    expect((await api.delete(`registries/${id}`)).status()).toBe(204);
  });

  test("[registries] test credentials from the add dialog and from a table row", async ({ page, uid }) => {
    const id = `v2-${uid}`;
    await openAddDialog(page, "Username and password");
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "ID", exact: true }).fill(id);
    await dialog.getByRole("textbox", { name: "URL", exact: true }).fill(registry.host);
    await dialog.getByLabel("Username").fill("ci");
    await dialog.getByLabel("Password").fill("wrong-password");
    await dialog.getByText("Private CA certificate").click();
    await dialog.getByLabel("CA certificate (PEM)").fill(pki.ca.cert);
    await dialog.getByRole("button", { name: "Test credentials" }).click();
    await expect(dialog.locator("[data-check-status]")).toHaveAttribute("data-check-status", "invalid");
    await dialog.getByLabel("Password").fill("right-password");
    await dialog.getByRole("button", { name: "Test credentials" }).click();
    await expect(dialog.locator("[data-check-status]")).toHaveAttribute("data-check-status", "valid");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(`Registry ${id} added`)).toBeVisible();

    const row = page.locator(`tr[data-registry-id="${id}"]`);
    await expect(row).toContainText("Not tested yet");
    await row.getByRole("button", { name: `Test credentials of ${id}` }).click();
    await expect(
      page.getByRole("cell", { name: `Credential test of ${id}` }).locator("[data-check-status]"),
    ).toHaveAttribute("data-check-status", "valid");
    await expect(row).toContainText("valid");
    await page.reload();
    await expect(page.locator(`tr[data-registry-id="${id}"]`)).toContainText(/valid.*(just now|ago)/);
  });

  test("[registries] moving a registry to another host or CA in the edit dialog needs its credentials again", async ({
    page,
    api,
    uid,
  }) => {
    const id = `move-${uid}`;
    const saved = `${registry.host}/${uid}`;
    expect(
      (
        await api.post("registries", {
          data: {
            id,
            registry: saved,
            type: "basic",
            creds: { username: "ci", password: "right-password" },
            ca_cert: pki.ca.cert,
          },
        })
      ).status(),
    ).toBe(201);
    await page.goto("/registries");
    const row = page.locator(`tr[data-registry-id="${id}"]`);
    const dialog = page.getByRole("dialog");

    // Another host: the dialog asks for the credentials before anything is sent.
    await row.getByRole("button", { name: `Edit ${id}` }).click();
    await dialog.getByRole("textbox", { name: "URL", exact: true }).fill(`moved-${uid}.example.com`);
    await expect(dialog.getByLabel("Password")).not.toHaveAttribute("placeholder", /stored/);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog.getByText(/Password is required again: the registry host changed/)).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // Another CA (the browser never sees the stored one): the server refuses, naming the fields.
    const other = await createTestPki();
    try {
      await row.getByRole("button", { name: `Edit ${id}` }).click();
      await dialog.getByText("Private CA certificate").click();
      await dialog.getByLabel("CA certificate (PEM)").fill(other.ca.cert);
      await dialog.getByRole("button", { name: "Save" }).click();
      await expect(dialog.getByText(/Password is required again: the CA certificate changed/)).toBeVisible();
      expect((await (await api.get(`registries/${id}`)).json()).registry).toBe(saved);

      await dialog.getByLabel("Username").fill("ci");
      await dialog.getByLabel("Password").fill("new-password");
      await dialog.getByRole("button", { name: "Save" }).click();
      await expect(page.getByText(`Registry ${id} saved`)).toBeVisible();
    } finally {
      await other.remove();
    }
  });

  test("[registries] the image box answers like the resolve API", async ({ page, api, uid }) => {
    const host = `${uid}.example.com`;
    expect(
      (
        await api.post("registries", {
          data: { id: `wide-${uid}`, registry: host, type: "basic", creds: { username: "u", password: "p" } },
        })
      ).status(),
    ).toBe(201);
    expect(
      (
        await api.post("registries", {
          data: { id: `team-${uid}`, registry: `${host}/team`, type: "basic", creds: { username: "u", password: "p" } },
        })
      ).status(),
    ).toBe(201);
    const image = `${host}/team/api:1.2`;
    const resolved = await (await api.get(`images/resolve?image=${encodeURIComponent(image)}`)).json();
    expect(resolved).toMatchObject({
      domain: host,
      path: "team/api",
      tag: "1.2",
      registry: { id: `team-${uid}` },
      secret: `regcred-team-${uid}`,
    });
    await page.goto("/registries");
    await page.getByLabel("Image reference").fill(image);
    await expect(page.getByTestId("resolver-answer")).toContainText(`Uses registry team-${uid}`);
    await expect(page.getByTestId("resolver-answer")).toContainText(resolved.secret);
    await page.getByLabel("Image reference").fill("Upper/Case");
    await expect(page.getByText(/lowercase/)).toBeVisible();
    expect((await api.get(`images/resolve?image=${encodeURIComponent("Upper/Case")}`)).status()).toBe(400);
  });

  test("[registries] axe finds no serious or critical violations on the page and its dialogs", async ({
    page,
    api,
    uid,
  }) => {
    await api.post("registries", { data: { id: `axe-${uid}`, registry: `axe-${uid}.example.com`, type: "public" } });
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto("/registries");
      await expectNoSeriousA11yViolations(page, `registries page (${scheme})`);
      await page.getByRole("button", { name: "Add registry" }).click();
      await expectNoSeriousA11yViolations(page, `type picker (${scheme})`);
      await page.getByRole("dialog").getByRole("button", { name: "Amazon ECR" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
      await expectNoSeriousA11yViolations(page, `ECR dialog with errors (${scheme})`);
      await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
      await page
        .locator(`tr[data-registry-id="axe-${uid}"]`)
        .getByRole("button", { name: `Delete axe-${uid}` })
        .click();
      await expectNoSeriousA11yViolations(page, `delete dialog (${scheme})`);
      await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    }
  });
});

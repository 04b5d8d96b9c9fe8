import fs from "node:fs";
import { type Browser, type BrowserContext, type Locator, type Page, request } from "@playwright/test";
import { BASE_URL, BOOTSTRAP_TOKEN, ORG } from "../env";
import { expect, test } from "../fixtures";
import {
  appRoutes,
  axeViolations,
  cleanOrg,
  contrastOf,
  documentWidth,
  expectInsideViewport,
  fillRoute,
  phone,
  schemes,
  type Seeded,
  seedOrg,
} from "../layout-kit";
import { acceptInvite } from "../sessions";

// Pages whose only job is to send the visitor elsewhere; every other page must render for some visitor.
const redirectOnly: Record<string, string> = { "/": "/registries" };

const signedOut = { cookies: [], origins: [] };

let seeded: Seeded;

test.beforeAll(async () => {
  const api = await request.newContext({
    baseURL: `${BASE_URL}/api/orgs/${ORG}/`,
    extraHTTPHeaders: { Authorization: `Bearer ${BOOTSTRAP_TOKEN}` },
  });
  seeded = await seedOrg(api, `l${Date.now().toString(36)}`);
  await api.dispose();
});

test.afterAll(async () => {
  const api = await request.newContext({
    baseURL: `${BASE_URL}/api/orgs/${ORG}/`,
    extraHTTPHeaders: { Authorization: `Bearer ${BOOTSTRAP_TOKEN}` },
  });
  if (seeded) await cleanOrg(api, seeded);
  await api.dispose();
});

/** A signed-in account that belongs to no org any more: the visitor /no-org is for. */
async function orglessContext(browser: Browser, api: import("@playwright/test").APIRequestContext, uid: string) {
  const email = `orgless-${uid}@e2e.test`;
  const res = await api.post("users", { data: { email, role: "viewer" } });
  expect(res.status(), await res.text()).toBe(201);
  const cookie = await acceptInvite(browser, (await res.json()).invite_url, "orgless-password-123");
  const users = (await (await api.get("users")).json()) as Array<{ userId: string; email: string }>;
  expect((await api.delete(`users/${users.find((u) => u.email === email)!.userId}`)).status()).toBe(204);
  const context = await browser.newContext({ ...phone, baseURL: BASE_URL, storageState: signedOut });
  await context.addCookies([{ name: "regcred_session", value: cookie, url: BASE_URL }]);
  return context;
}

async function settle(page: Page) {
  await page.waitForLoadState("networkidle");
  await expect(page.locator("h1").first()).toBeVisible();
}

test.describe("[layout] at 390 px", () => {
  test.use(phone);

  test("[layout] every page under app/ is at most 390 px wide and axe-clean, light and dark", async ({
    page,
    browser,
    api,
    uid,
  }) => {
    test.setTimeout(240_000);
    const routes = appRoutes();
    expect(routes).toEqual(
      expect.arrayContaining(["/registries", "/secrets", "/readiness", "/login", "/invite/[token]"]),
    );
    const values = { token: seeded.inviteToken };
    const anonymous = await browser.newContext({ ...phone, baseURL: BASE_URL, storageState: signedOut });
    const visitors: Array<[string, Page | BrowserContext]> = [
      ["admin", page],
      ["anonymous", anonymous],
      ["org-less", await orglessContext(browser, api, uid)],
    ];
    const rendered = new Map<string, string[]>();
    const problems: string[] = [];
    for (const [who, where] of visitors) {
      const tab = "goto" in where ? where : await where.newPage();
      const scanned = new Set<string>();
      for (const route of routes) {
        await tab.goto(fillRoute(route, values));
        const landed = new URL(tab.url()).pathname;
        if (landed === fillRoute(route, values)) rendered.set(route, [...(rendered.get(route) ?? []), who]);
        if (redirectOnly[route]) continue;
        if (scanned.has(landed)) continue;
        scanned.add(landed);
        await settle(tab);
        for (const scheme of schemes) {
          await tab.emulateMedia({ colorScheme: scheme });
          const width = await documentWidth(tab);
          if (width > 390) problems.push(`${landed} as ${who} (${scheme}): ${width} px wide`);
          problems.push(...(await axeViolations(tab, `${landed} as ${who} (${scheme})`)));
        }
      }
    }
    for (const [, where] of visitors) if (!("goto" in where)) await where.close();
    expect(problems).toEqual([]);
    for (const route of routes) {
      if (redirectOnly[route]) {
        await page.goto(route);
        await expect(page).toHaveURL(new RegExp(`${redirectOnly[route]}$`));
      } else {
        expect(rendered.get(route), `${route} was rendered for no visitor`).toBeTruthy();
      }
    }
  });

  for (const screen of ["registries", "clusters", "secrets", "readiness", "settings"]) {
    test(`[layout] every dialog of ${screen} fits 390 px, is axe-clean, and gives focus back to its opener, light and dark`, async ({
      page,
    }) => {
      test.setTimeout(180_000);
      const problems: string[] = [];
      const cases = dialogCases(seeded.uid).filter((c) => c.page.startsWith(`/${screen}`));
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) {
        await page.goto(c.page);
        await settle(page);
        for (const scheme of schemes) {
          await page.emulateMedia({ colorScheme: scheme });
          const opener = c.opener(page);
          await opener.tap();
          const dialog = page.getByRole("dialog");
          await expect(dialog, c.what).toBeVisible();
          await c.steps?.(dialog, page, scheme);
          await expect(dialog, c.what).toBeVisible();
          await expectInsideViewport(page, dialog, `${c.what} (${scheme})`);
          problems.push(...(await axeViolations(page, `${c.what} (${scheme})`, "dialog")));
          // Escape in light, the dialog's own button in dark: focus goes back to the opener either way.
          if (scheme === "light") await page.keyboard.press("Escape");
          else await dialog.getByRole("button", { name: c.cancel, exact: true }).tap();
          await expect(dialog, `${c.what} closes`).toHaveCount(0);
          await expect(
            opener,
            `${c.what}: focus back on the opener after ${scheme === "light" ? "Escape" : c.cancel}`,
          ).toBeFocused();
        }
      }
      expect(problems).toEqual([]);
    });
  }

  test("[layout] a tall dialog on a short phone screen scrolls inside itself and keeps its buttons in reach", async ({
    page,
  }) => {
    await page.setViewportSize({ width: 375, height: 600 });
    await page.goto("/registries");
    await page.getByRole("button", { name: "Add registry", exact: true }).tap();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Amazon ECR" }).tap();
    await dialog.getByText("Private CA certificate").tap();
    await expectInsideViewport(page, dialog, "ECR dialog at 375×600");
    await expect(dialog.getByRole("button", { name: "Save" })).toBeInViewport({ ratio: 1 });
    await expect(dialog.getByRole("button", { name: "Cancel" })).toBeInViewport({ ratio: 1 });
    await dialog.getByLabel("CA certificate (PEM)").scrollIntoViewIfNeeded();
    await expect(dialog.getByLabel("CA certificate (PEM)")).toBeInViewport();
  });

  test("[layout] the phone menu opens, moves focus into itself, is keyboard-navigable and closes with Escape", async ({
    page,
  }) => {
    await page.goto("/registries");
    const menu = page.getByRole("button", { name: "Menu" });
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();
    const panel = page.locator(`[id="${await menu.getAttribute("aria-controls")}"]`);

    await menu.tap();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await expect(panel).toBeVisible();
    await expect(nav.getByRole("link", { name: "Registries" })).toHaveAttribute("aria-current", "page");
    await expect
      .poll(() =>
        panel.evaluate((el) =>
          el.contains(document.activeElement) ? "inside" : document.activeElement?.outerHTML.slice(0, 200),
        ),
      )
      .toBe("inside");
    for (const scheme of schemes) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await documentWidth(page)).toBeLessThanOrEqual(390);
      expect(await axeViolations(page, `open menu (${scheme})`)).toEqual([]);
    }
    for (
      let i = 0;
      i < 10 && !(await nav.getByRole("link", { name: "Sync" }).evaluate((el) => el === document.activeElement));
      i++
    )
      await page.keyboard.press("Tab");
    await expect(nav.getByRole("link", { name: "Sync" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();
    await expect(menu).toBeFocused();

    await menu.tap();
    await nav.getByRole("link", { name: "Clusters" }).tap();
    await expect(page.getByRole("heading", { level: 1, name: "Clusters" })).toBeVisible();
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();
  });

  test("[layout] expanded result rows (registry test, cluster test, sync details) stay within 390 px", async ({
    page,
  }) => {
    const u = seeded.uid;
    const problems: string[] = [];
    const expand = async (path: string, button: string, cell: string) => {
      await page.goto(path);
      await page.getByRole("button", { name: button, exact: true }).tap();
      const expanded = page.getByRole("cell", { name: cell, exact: true });
      await expect(expanded).toBeVisible({ timeout: 30_000 });
      await page.waitForLoadState("networkidle");
      for (const scheme of schemes) {
        await page.emulateMedia({ colorScheme: scheme });
        const width = await documentWidth(page);
        if (width > 390) problems.push(`${cell} (${scheme}): ${width} px wide`);
        const box = (await expanded.boundingBox())!;
        if (box.x < 0 || box.x + box.width > 390) problems.push(`${cell} (${scheme}): box ${JSON.stringify(box)}`);
        problems.push(...(await axeViolations(page, `${cell} (${scheme})`)));
      }
    };
    await expand("/registries", `Test credentials of ecr-${u}`, `Credential test of ecr-${u}`);
    await expand("/clusters", `Test connection of lay-${u}`, `Connection test of lay-${u}`);
    await expand("/sync", `Details of lay-${u}`, `Details of lay-${u}`);
    expect(problems).toEqual([]);
  });

  test("[layout] an unknown page shows the product's 404 with a way back", async ({ page, uid }) => {
    const res = await page.goto(`/no-such-page-${uid}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expect(page).toHaveTitle(/Page not found · Regcred/);
    for (const scheme of schemes) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await documentWidth(page)).toBeLessThanOrEqual(390);
      expect(await axeViolations(page, `404 (${scheme})`)).toEqual([]);
    }
    await page.getByRole("link", { name: "Go to Registries" }).tap();
    await expect(page.getByRole("heading", { level: 1, name: "Registries" })).toBeVisible();
  });
});

test("[layout] the skip link is the first stop of the keyboard and moves focus to the content", async ({ page }) => {
  await page.goto("/clusters");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport({ ratio: 1 });
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.querySelector("main")!.contains(document.activeElement))).toBe(true);
  await expect(page.getByRole("button", { name: "Add cluster", exact: true })).toBeFocused();
  // Wide screens keep the navigation in view, with no menu button.
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
});

test("[layout] the favicon is served to signed-out visitors too", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE_URL, storageState: signedOut });
  const page = await context.newPage();
  await page.goto("/login");
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toBeTruthy();
  for (const path of [href!, "/favicon.ico"]) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(200);
    expect(res.headers()["content-type"], path).toMatch(/^image\//);
  }
  await context.close();
});

test.describe("[layout] at 1440 px", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("[layout] the secrets and audit filter boxes show their whole text", async ({ page }) => {
    await page.goto(`/secrets?q=${seeded.uid}&cluster=${seeded.cluster}&namespace=${seeded.namespace}&sort=expires`);
    const secrets = page.getByRole("search", { name: "Filter secrets" });
    await expect(secrets.getByLabel("Namespace")).toHaveValue(seeded.namespace);
    await expect(secrets.getByLabel("Sort by")).toHaveValue("expires");
    expect(await truncatedBoxes(secrets)).toEqual([]);

    await page.goto("/audit");
    const audit = page.getByRole("search", { name: "Filter the audit log" });
    await audit.getByLabel("From").fill("2026-11-30T09:45");
    await audit.getByLabel("Until").fill("2026-12-31T23:59");
    await audit.getByLabel("Actor").fill("token:bootstrap");
    await audit.getByLabel("Action").fill("registry.creds.read");
    expect(await truncatedBoxes(audit)).toEqual([]);
  });

  test("[layout] error and success toasts have a contrast of at least 4.5:1, light and dark", async ({
    page,
    api,
    uid,
  }) => {
    for (const scheme of schemes) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto("/registries");
      await page.getByRole("button", { name: "Add registry", exact: true }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("button", { name: "Public" }).click();
      await dialog.getByRole("textbox", { name: "ID", exact: true }).fill(`hub-${seeded.uid}`);
      await dialog.getByRole("textbox", { name: "URL", exact: true }).fill(`toast-${uid}.example.com`);
      await dialog.getByRole("button", { name: "Save" }).click();
      const error = page.locator('[data-sonner-toast][data-type="error"]').first();
      await expect(error).toBeVisible();
      expect(await error.evaluate(contrastOf), `error toast (${scheme})`).toBeGreaterThanOrEqual(4.5);
      expect(await axeViolations(page, `error toast (${scheme})`, "[data-sonner-toaster]")).toEqual([]);

      await dialog.getByRole("textbox", { name: "ID", exact: true }).fill(`toast-${uid}-${scheme}`);
      await dialog.getByRole("button", { name: "Save" }).click();
      const success = page.locator('[data-sonner-toast][data-type="success"]').first();
      await expect(success).toBeVisible();
      expect(await success.evaluate(contrastOf), `success toast (${scheme})`).toBeGreaterThanOrEqual(4.5);
      expect(await axeViolations(page, `success toast (${scheme})`, "[data-sonner-toaster]")).toEqual([]);
      await api.delete(`registries/toast-${uid}-${scheme}`);
    }
  });
});

/** Inputs and selects of a form whose text (value, placeholder, chosen option) does not fit their box. */
function truncatedBoxes(form: Locator): Promise<string[]> {
  return form.evaluate((root) => {
    const canvas = document.createElement("canvas").getContext("2d")!;
    return [...root.querySelectorAll<HTMLInputElement | HTMLSelectElement>("input, select")].flatMap((el) => {
      const style = getComputedStyle(el);
      const label = el.labels?.[0]?.textContent ?? el.name;
      if (el.scrollWidth > el.clientWidth) return [`${label}: scrollWidth ${el.scrollWidth} > ${el.clientWidth}`];
      if (el instanceof HTMLInputElement && el.type === "datetime-local") return [];
      canvas.font = style.font;
      // A select shows its chosen option; the open list shows every option in full.
      const texts = el instanceof HTMLSelectElement ? [el.selectedOptions[0]?.text ?? ""] : [el.value, el.placeholder];
      const needed = Math.max(...texts.map((t) => canvas.measureText(t).width));
      // A select's arrow takes about 20 px of its content box.
      const room =
        el.clientWidth -
        parseFloat(style.paddingLeft) -
        parseFloat(style.paddingRight) -
        (el instanceof HTMLSelectElement ? 20 : 0);
      return needed > room ? [`${label}: text needs ${Math.ceil(needed)} px, box has ${Math.floor(room)} px`] : [];
    });
  });
}

type DialogCase = {
  what: string;
  page: string;
  opener: (page: Page) => Locator;
  /** What to do once the opener was pressed: pick a type, submit to show errors, reach a second step. */
  steps?: (dialog: Locator, page: Page, scheme: string) => Promise<void>;
  cancel: string;
};

function dialogCases(u: string): DialogCase[] {
  const addRegistry = (page: Page) => page.getByRole("button", { name: "Add registry", exact: true });
  const typeDialog = (label: string): DialogCase => ({
    what: `Add registry: ${label}, with field errors`,
    page: "/registries",
    opener: addRegistry,
    steps: async (dialog) => {
      await dialog.getByRole("button", { name: label }).tap();
      await dialog.getByRole("button", { name: "Save" }).tap();
      await expect(dialog.locator("[aria-invalid=true]").first()).toBeVisible();
    },
    cancel: "Cancel",
  });
  const rowButton = (name: string) => (page: Page) => page.getByRole("button", { name, exact: true });
  return [
    { what: "registry type picker", page: "/registries", opener: addRegistry, cancel: "Cancel" },
    ...[
      "Public",
      "Username and password",
      "Amazon ECR",
      "Google GCR / Artifact Registry",
      "Azure ACR",
      "Secret reference",
    ].map(typeDialog),
    {
      what: "host to test for a registry with a wildcard, with its error",
      page: "/registries",
      opener: rowButton(`Test credentials of glob-${u}`),
      steps: async (dialog) => {
        await dialog.getByRole("button", { name: "Test", exact: true }).tap();
        await expect(dialog.locator("[aria-invalid=true]")).toBeVisible();
      },
      cancel: "Cancel",
    },
    { what: "edit registry", page: "/registries", opener: rowButton(`Edit hub-${u}`), cancel: "Cancel" },
    { what: "delete registry", page: "/registries", opener: rowButton(`Delete hub-${u}`), cancel: "Cancel" },
    {
      what: "add cluster with a kubeconfig",
      page: "/clusters",
      opener: rowButton("Add cluster"),
      steps: async (dialog) => {
        await dialog.getByRole("textbox", { name: "Kubeconfig" }).fill(adminKubeconfig());
        await expect(dialog.getByLabel("Context")).toBeVisible();
      },
      cancel: "Cancel",
    },
    { what: "edit cluster", page: "/clusters", opener: rowButton(`Edit lay-${u}`), cancel: "Cancel" },
    { what: "delete cluster", page: "/clusters", opener: rowButton(`Delete lay-${u}`), cancel: "Cancel" },
    {
      what: "secret details",
      page: `/secrets?q=${u}`,
      opener: rowButton(`Details of lay-${u}/regcred-hub-${u} in lay-${u}`),
      cancel: "Close",
    },
    {
      what: "readiness explanation with a stuck pod",
      page: `/readiness?cluster=lay-${u}&namespace=lay-${u}`,
      opener: rowButton(`Explain Pod lay-${u}/stuck in lay-${u}`),
      cancel: "Close",
    },
    {
      what: "readiness explanation with two images",
      page: `/readiness?cluster=lay-${u}&namespace=lay-${u}`,
      opener: rowButton(`Explain Deployment lay-${u}/web in lay-${u}`),
      cancel: "Close",
    },
    { what: "create token", page: "/settings", opener: rowButton("Create token"), cancel: "Cancel" },
    {
      what: "token shown once",
      page: "/settings",
      opener: rowButton("Create token"),
      steps: async (dialog, _page, scheme) => {
        await dialog.getByLabel("Name").fill(`once-${u}-${scheme}`);
        await dialog.getByRole("button", { name: "Create token" }).tap();
        await expect(dialog.getByTestId("secret-once")).toBeVisible();
      },
      cancel: "Done",
    },
    { what: "revoke token", page: "/settings", opener: rowButton(`Revoke token ci-${u}`), cancel: "Cancel" },
    { what: "invite user", page: "/settings", opener: rowButton("Invite user"), cancel: "Cancel" },
    {
      what: "invite link shown once",
      page: "/settings",
      opener: rowButton("Invite user"),
      steps: async (dialog, _page, scheme) => {
        await dialog.getByLabel("Email").fill(`link-${u}-${scheme}@e2e.test`);
        await dialog.getByRole("button", { name: "Invite" }).tap();
        await expect(dialog.getByTestId("secret-once")).toBeVisible();
      },
      cancel: "Done",
    },
    {
      what: "new invite link",
      page: "/settings",
      opener: rowButton(`New invite link for invited-${u}@e2e.test`),
      cancel: "Done",
    },
    {
      what: "remove user",
      page: "/settings",
      opener: rowButton(`Remove invited-${u}@e2e.test`),
      cancel: "Cancel",
    },
    { what: "create org", page: "/settings", opener: rowButton("Create org"), cancel: "Cancel" },
    { what: "add member to an org", page: "/settings", opener: rowButton(`Add member to ${ORG}`), cancel: "Cancel" },
  ];
}

function adminKubeconfig(): string {
  return fs.readFileSync(process.env.KUBECONFIG_ADMIN!, "utf8");
}

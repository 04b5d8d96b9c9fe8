import type { APIRequestContext, Browser } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD, BASE_URL, ORG } from "../env";
import { expect, test } from "../fixtures";
import {
  acceptInvite,
  adminToken,
  createOrg,
  invite,
  launchChromium,
  sessionClient,
  signIn,
  tokenClient,
} from "../sessions";

type Member = { userId: string; email: string; role: string; pending: boolean };

let browser: Browser;
test.beforeAll(async () => {
  browser = await launchChromium();
});
test.afterAll(async () => {
  await browser.close();
});

async function members(client: APIRequestContext, org: string): Promise<Member[]> {
  const res = await client.get(`/api/orgs/${org}/users`);
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

test("[orgs] an instance admin creates orgs with registry-style ids; others cannot; GET lists the caller's orgs", async ({
  uid,
}) => {
  const admin = await sessionClient(await signIn(browser, ADMIN_EMAIL, ADMIN_PASSWORD));
  const id = `org-${uid}`;
  const created = await admin.post("/api/orgs", { data: { id, name: `Team ${uid}` } });
  expect(created.status(), await created.text()).toBe(201);
  expect(await created.json()).toEqual({ id, name: `Team ${uid}`, role: "admin" });

  const taken = await admin.post("/api/orgs", { data: { id, name: "again" } });
  expect(taken.status()).toBe(409);
  expect(await taken.json()).toMatchObject({
    error: "CONFLICT",
    fields: { id: `An org with ID "${id}" already exists: choose another ID` },
  });
  const bad = await admin.post("/api/orgs", { data: { id: "Bad_Org", name: "" } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).fields).toEqual({
    id: "Org ID can only use lowercase letters, digits and hyphens, and must start and end with a letter or digit",
    name: "Name is required",
  });

  const mine: Array<{ id: string; role: string }> = await (await admin.get("/api/orgs")).json();
  expect(mine.map((o) => o.id)).toEqual(expect.arrayContaining([ORG, id]));
  expect(mine.find((o) => o.id === id)).toMatchObject({ role: "admin" });

  // Its creator is its first admin: it can mint a token there, and that token sees only its own org.
  const { token } = await adminToken(admin, id, `t-${uid}`);
  const viaToken = await tokenClient(token);
  expect(await (await viaToken.get("/api/orgs")).json()).toEqual([{ id, name: `Team ${uid}`, role: "admin" }]);
  const byToken = await viaToken.post("/api/orgs", { data: { id: `tok-${uid}`, name: "x" } });
  expect(byToken.status()).toBe(403);
  expect(await byToken.json()).toMatchObject({ error: "FORBIDDEN", message: /instance admin/ });

  // An org admin who is not an instance admin cannot create orgs either.
  const link = await invite(admin, id, `boss-${uid}@e2e.test`, "admin");
  const boss = await sessionClient(await acceptInvite(browser, link!, "boss-password-123"));
  const refused = await boss.post("/api/orgs", { data: { id: `boss-${uid}`, name: "mine" } });
  expect(refused.status()).toBe(403);
  expect((await boss.get("/api/orgs")).status()).toBe(200);
  expect((await (await boss.get("/api/orgs")).json()).map((o: { id: string }) => o.id)).toEqual([id]);
});

test("[orgs] an instance admin adds a member to an org it is not a member of", async ({ uid }) => {
  const admin = await sessionClient(await signIn(browser, ADMIN_EMAIL, ADMIN_PASSWORD));
  const org = `lone-${uid}`;
  await createOrg(admin, org);
  const link = await invite(admin, org, `keeper-${uid}@e2e.test`, "admin");
  const keeper = await sessionClient(await acceptInvite(browser, link!, "keeper-password-1"));
  const adminId = (await members(keeper, org)).find((m) => m.email === ADMIN_EMAIL)!.userId;
  // The keeper takes over and removes the instance admin, who is no member any more ...
  expect((await keeper.delete(`/api/orgs/${org}/users/${adminId}`)).status()).toBe(204);
  expect((await admin.get(`/api/orgs/${org}/registries`)).status()).toBe(404);
  // ... but may still add members there, and only that.
  const again = await invite(admin, org, `helper-${uid}@e2e.test`, "admin");
  expect(again).toMatch(/\/invite\//);
  expect((await admin.get(`/api/orgs/${org}/users`)).status()).toBe(404);
  expect((await members(keeper, org)).map((m) => m.email)).toContain(`helper-${uid}@e2e.test`);
});

test("[users] an admin of another org cannot take over a user still pending in this org", async ({ uid }) => {
  const admin = await sessionClient(await signIn(browser, ADMIN_EMAIL, ADMIN_PASSWORD));
  const orgA = `a-${uid}`;
  const orgB = `b-${uid}`;
  await createOrg(admin, orgA);
  await createOrg(admin, orgB);
  const victim = `victim-${uid}@e2e.test`;
  const linkA = await invite(admin, orgA, victim, "admin");
  expect(linkA).toMatch(/\/invite\//);

  // The attacker is an admin of B only; its token invites the victim's email into B.
  const attackerLink = await invite(admin, orgB, `mallory-${uid}@e2e.test`, "admin");
  const mallory = await sessionClient(await acceptInvite(browser, attackerLink!, "mallory-password-1"));
  const { token } = await adminToken(mallory, orgB, `m-${uid}`);
  const linkB = await invite(await tokenClient(token), orgB, victim, "viewer");
  expect(linkB).toMatch(/\/invite\//);
  expect(linkB).not.toBe(linkA);

  // Accepting B's link sets a password, but only B's membership is active with it.
  const stolen = await sessionClient(await acceptInvite(browser, linkB!, "attacker-chosen-pw"));
  expect((await stolen.get(`/api/orgs/${orgA}/registries`)).status()).toBe(404);
  expect((await stolen.get(`/api/orgs/${orgA}/users`)).status()).toBe(404);
  expect((await (await stolen.get("/api/orgs")).json()).map((o: { id: string }) => o.id)).toEqual([orgB]);
  const again = await sessionClient(await signIn(browser, victim, "attacker-chosen-pw"));
  expect((await again.get(`/api/orgs/${orgA}/registries`)).status()).toBe(404);
  expect((await members(admin, orgA)).find((m) => m.email === victim)).toMatchObject({ role: "admin", pending: true });

  // A's own link is now for an existing account: it neither signs anyone in nor changes the password.
  const page = await (await browser.newContext({ baseURL: BASE_URL })).newPage();
  await page.goto(new URL(linkA!).pathname);
  await expect(page.getByRole("heading", { name: `Join ${orgA}` })).toBeVisible();
  await expect(page.getByText(`sign in as ${victim}`)).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveCount(0);
  expect((await page.context().cookies()).find((c) => c.name === "regcred_session")).toBeUndefined();
  await page.context().close();
  expect((await members(admin, orgA)).find((m) => m.email === victim)).toMatchObject({ pending: true });
});

test("[users] the last-admin guard counts only admins who can sign in", async ({ api, uid }) => {
  for (const m of await members(api, ORG)) {
    if (m.role === "admin" && m.email !== ADMIN_EMAIL)
      expect((await api.patch(`users/${m.userId}`, { data: { role: "viewer" } })).status()).toBe(200);
  }
  const pending = `pending-admin-${uid}@e2e.test`;
  expect((await api.post("users", { data: { email: pending, role: "admin" } })).status()).toBe(201);
  const first = (await members(api, ORG)).find((m) => m.email === ADMIN_EMAIL)!;

  const demote = await api.patch(`users/${first.userId}`, { data: { role: "viewer" } });
  expect(demote.status()).toBe(409);
  expect(await demote.json()).toMatchObject({ error: "CONFLICT", message: /at least one admin who can sign in/ });
  const remove = await api.delete(`users/${first.userId}`);
  expect(remove.status()).toBe(409);
  expect((await members(api, ORG)).find((m) => m.email === ADMIN_EMAIL)).toMatchObject({ role: "admin" });

  const pendingId = (await members(api, ORG)).find((m) => m.email === pending)!.userId;
  expect((await api.delete(`users/${pendingId}`)).status()).toBe(204);
});

test("[users] an invite for an account that has a password since is accepted only by that account, signed in", async ({
  uid,
}) => {
  const admin = await sessionClient(await signIn(browser, ADMIN_EMAIL, ADMIN_PASSWORD));
  const [orgC, orgD] = [`c-${uid}`, `d-${uid}`];
  await createOrg(admin, orgC);
  await createOrg(admin, orgD);
  const email = `twice-${uid}@e2e.test`;
  const linkC = new URL((await invite(admin, orgC, email, "manager"))!).pathname;
  const linkD = await invite(admin, orgD, email, "viewer");
  const cookie = await acceptInvite(browser, linkD!, "twice-password-1");

  const context = await browser.newContext({ baseURL: BASE_URL });
  await context.addCookies([{ name: "regcred_session", value: cookie, url: BASE_URL }]);
  const page = await context.newPage();
  await page.goto(linkC);
  await page.getByRole("button", { name: `Join ${orgC}` }).click();
  await page.waitForURL(/\/registries$/);
  await expect(page.getByRole("form", { name: "Switch org" }).getByLabel("Org")).toHaveValue(orgC);
  await context.close();

  const self = await sessionClient(cookie);
  expect(
    (await (await self.get("/api/orgs")).json()).map((o: { id: string; role: string }) => `${o.id}:${o.role}`),
  ).toEqual([`${orgC}:manager`, `${orgD}:viewer`]);
  expect((await members(admin, orgC)).find((m) => m.email === email)).toMatchObject({ pending: false });
  // The password is still the one its owner chose; the link is spent.
  await signIn(browser, email, "twice-password-1");
  const spent = await (await browser.newContext({ baseURL: BASE_URL })).newPage();
  await spent.goto(linkC);
  await expect(spent.getByRole("heading", { name: "This invite link does not work" })).toBeVisible();
  await spent.context().close();
});

import { type APIRequestContext, type Browser, chromium, expect, type Page, request } from "@playwright/test";
import { BASE_URL } from "./env";

/** Chromium for API specs that need a real sign-in or invite acceptance (both are server actions). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
}

async function sessionCookie(page: Page): Promise<string> {
  const cookie = (await page.context().cookies(BASE_URL)).find((c) => c.name === "regcred_session");
  if (!cookie) throw new Error("no session cookie after sign-in");
  return cookie.value;
}

/** Signs in through the login page and returns the session cookie's value. */
export async function signIn(browser: Browser, email: string, password: string): Promise<string> {
  const context = await browser.newContext({ baseURL: BASE_URL });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/registries$/);
  const value = await sessionCookie(page);
  await context.close();
  return value;
}

/** Opens an invite link in a fresh browser, sets name and password; returns the new session cookie. */
export async function acceptInvite(
  browser: Browser,
  link: string,
  password: string,
  name = "Invitee",
): Promise<string> {
  const context = await browser.newContext({ baseURL: BASE_URL });
  const page = await context.newPage();
  // The API builds the link from its request URL, which may name localhost; cookies are per host.
  await page.goto(new URL(link).pathname);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await page.waitForURL(/\/registries$/);
  const value = await sessionCookie(page);
  await context.close();
  return value;
}

/** A REST client authenticated by a session cookie, as the browser would send it (same origin, JSON). */
export function sessionClient(cookie: string): Promise<APIRequestContext> {
  // Bodiless mutations (DELETE, POST …/test) too: a cookie-authenticated mutation must declare JSON (CSRF rule).
  return request.newContext({
    baseURL: BASE_URL,
    extraHTTPHeaders: { Cookie: `regcred_session=${cookie}`, Origin: BASE_URL, "Content-Type": "application/json" },
  });
}

export function tokenClient(token: string): Promise<APIRequestContext> {
  return request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
}

/** Creates an org as an instance admin (the caller becomes its admin). */
export async function createOrg(client: APIRequestContext, id: string, name = id): Promise<void> {
  const res = await client.post("/api/orgs", { data: { id, name } });
  expect(res.status(), await res.text()).toBe(201);
}

/** Invites an email into an org; returns the invite link (null when the account already existed). */
export async function invite(
  client: APIRequestContext,
  org: string,
  email: string,
  role: string,
): Promise<string | null> {
  const res = await client.post(`/api/orgs/${org}/users`, { data: { email, role } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).invite_url;
}

/** An admin API token of an org, created by a client that is admin there. */
export async function adminToken(
  client: APIRequestContext,
  org: string,
  name: string,
): Promise<{ id: string; token: string }> {
  const res = await client.post(`/api/orgs/${org}/tokens`, { data: { name, role: "admin", ci: true } });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

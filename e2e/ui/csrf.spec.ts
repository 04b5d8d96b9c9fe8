import type { Page } from "@playwright/test";
import { BASE_URL, BOOTSTRAP_TOKEN, ORG } from "../env";
import { expect, test } from "../fixtures";

// The ui project's storage state holds the admin's session cookie, so page.request is "the admin's browser".
const body = (id: string) => JSON.stringify({ id, registry: `${id}.csrf.example.com`, type: "public" });

async function post(page: Page, id: string, headers: Record<string, string>) {
  return page.request.post(`/api/orgs/${ORG}/registries`, { headers, data: body(id), failOnStatusCode: false });
}

test("[csrf] a cookie-authenticated text/plain POST from another origin is refused and creates nothing", async ({
  page,
  api,
  uid,
}) => {
  const res = await post(page, `evil-${uid}`, { "Content-Type": "text/plain", Origin: "http://evil.example" });
  expect(res.status()).toBe(403);
  expect(await res.json()).toMatchObject({ error: "FORBIDDEN", message: expect.stringMatching(/Content-Type/) });
  expect((await api.get(`registries/evil-${uid}`)).status()).toBe(404);
});

test("[csrf] cookie-authenticated mutations need a JSON body type and a same-origin Origin or Sec-Fetch-Site", async ({
  page,
  uid,
}) => {
  const json = { "Content-Type": "application/json" };
  expect((await post(page, `a-${uid}`, { "Content-Type": "text/plain", Origin: BASE_URL })).status()).toBe(403);
  expect((await post(page, `b-${uid}`, { ...json, Origin: "http://evil.example" })).status()).toBe(403);
  expect((await post(page, `c-${uid}`, { ...json, Origin: "null" })).status()).toBe(403);
  expect((await post(page, `d-${uid}`, json)).status()).toBe(403);
  expect((await post(page, `e-${uid}`, { ...json, Origin: BASE_URL, "Sec-Fetch-Site": "cross-site" })).status()).toBe(
    403,
  );
  expect((await post(page, `f-${uid}`, { ...json, Origin: BASE_URL })).status()).toBe(201);
  expect(
    (
      await post(page, `g-${uid}`, {
        "Content-Type": "application/merge-patch+json; charset=utf-8",
        "Sec-Fetch-Site": "same-origin",
      })
    ).status(),
  ).toBe(201);
  const del = (headers: Record<string, string>) =>
    page.request.delete(`/api/orgs/${ORG}/registries/f-${uid}`, { headers, failOnStatusCode: false });
  expect((await del({ Origin: "http://evil.example", ...json })).status()).toBe(403);
  expect((await del({ Origin: BASE_URL, ...json })).status()).toBe(204);
});

test("[csrf] token-authenticated calls are unaffected (Humanitec's curl sends no Content-Type)", async ({
  page,
  uid,
}) => {
  const res = await post(page, `tok-${uid}`, {
    Authorization: `Bearer ${BOOTSTRAP_TOKEN}`,
    "Content-Type": "text/plain",
    Origin: "http://evil.example",
  });
  expect(res.status()).toBe(201);
});

import { type APIRequestContext, test as base } from "@playwright/test";
import { BASE_URL, BOOTSTRAP_TOKEN, ORG } from "./env";

type Fixtures = { api: APIRequestContext; uid: string };

/** `api` is an admin REST client for the e2e org; `uid` is unique per test for ids and names. */
export const test = base.extend<Fixtures>({
  api: async ({ playwright }, use) => {
    const ctx = await playwright.request.newContext({
      baseURL: `${BASE_URL}/api/orgs/${ORG}/`,
      extraHTTPHeaders: { Authorization: `Bearer ${BOOTSTRAP_TOKEN}` },
    });
    await use(ctx);
    await ctx.dispose();
  },
  uid: async ({}, use, info) => {
    await use(`t${info.workerIndex}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`);
  },
});

export { expect } from "@playwright/test";

import { BASE_URL, ORG } from "../env";
import { expect, test } from "../fixtures";

test("[api] an unknown /api path answers 404 in the API's JSON error shape, for every method", async ({
  playwright,
}) => {
  const anon = await playwright.request.newContext({ baseURL: BASE_URL });
  for (const path of ["/api/nope", `/api/orgs/${ORG}/registrys`, `/api/orgs/${ORG}/registries/x/creds/extra`, "/api"])
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      const res = await anon.fetch(path, { method, data: method === "GET" || method === "DELETE" ? undefined : {} });
      expect(res.status(), `${method} ${path}`).toBe(404);
      expect(res.headers()["content-type"], `${method} ${path}`).toMatch(/^application\/json/);
      const body = await res.json();
      expect(body, `${method} ${path}`).toEqual({ error: "NOT_FOUND", message: expect.stringContaining(path) });
    }
  const head = await anon.fetch("/api/nope", { method: "HEAD" });
  expect(head.status()).toBe(404);
  // Known routes still answer as before.
  expect((await anon.get("/api/openapi.json")).status()).toBe(200);
  expect((await anon.get(`/api/orgs/${ORG}/registries`)).status()).toBe(401);
  await anon.dispose();
});

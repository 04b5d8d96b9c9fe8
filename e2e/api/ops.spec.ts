import { BASE_URL, BOOTSTRAP_TOKEN, METRICS_TOKEN } from "../env";
import { expect, test } from "../fixtures";

test("[ops] health and readiness answer without authentication and reveal nothing", async ({ playwright }) => {
  const anon = await playwright.request.newContext({ baseURL: BASE_URL });
  const health = await anon.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: "ok" });
  const ready = await anon.get("/api/ready");
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready" });
  expect(ready.headers()["cache-control"]).toBe("no-store");
  expect((await anon.fetch("/api/ready", { method: "HEAD" })).status()).toBe(200);
  await anon.dispose();
});

test("[ops] metrics need the metrics token: none, a wrong one and an org admin's API token are refused", async ({
  playwright,
}) => {
  const anon = await playwright.request.newContext({ baseURL: BASE_URL });
  for (const authorization of [undefined, "Bearer wrong-token", `Bearer ${BOOTSTRAP_TOKEN}`, METRICS_TOKEN]) {
    const res = await anon.get("/api/metrics", { headers: authorization ? { authorization } : {} });
    expect(res.status(), String(authorization)).toBe(401);
    expect(await res.json()).toMatchObject({ error: "UNAUTHENTICATED" });
  }
  await anon.dispose();
});

test("[ops] metrics are Prometheus text with process and Regcred metrics", async ({ playwright, api }) => {
  // A registry that does not exist: the request is timed under its route, with the registry's name left out.
  expect((await api.get("registries/ops-metrics-no-such-registry")).status()).toBe(404);
  const scraper = await playwright.request.newContext({
    baseURL: BASE_URL,
    extraHTTPHeaders: { Authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const res = await scraper.get("/api/metrics");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  for (const name of [
    "regcred_sync_passes_total",
    "regcred_sync_pass_duration_seconds",
    "regcred_secret_writes_total",
    "regcred_ecr_mints_total",
    "regcred_kube_requests_total",
    "regcred_informer_lists_total",
    "regcred_watch_restarts_total",
    "regcred_leader",
    "regcred_namespaces_queued",
    "regcred_managed_secrets",
    "regcred_registry_credential_expiry_timestamp_seconds",
    "regcred_http_request_duration_seconds",
  ])
    expect(text).toContain(`# TYPE ${name} `);
  expect(text).toMatch(
    /^regcred_http_request_duration_seconds_count\{route="\/api\/orgs\/\[orgId\]\/registries\/\[regId\]",method="GET",status="404"\} [1-9]/m,
  );
  expect(text).not.toContain("ops-metrics-no-such-registry");
  expect(text).not.toContain(BOOTSTRAP_TOKEN);
  expect(text).not.toContain(METRICS_TOKEN);
  await scraper.dispose();
});

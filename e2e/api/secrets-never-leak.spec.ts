import fs from "node:fs";
import type { APIResponse } from "@playwright/test";
import { BASE_URL, ORG, SERVER_LOG } from "../env";
import { expect, test } from "../fixtures";

type Seen = { label: string; status: number; text: string };

function serviceAccountKey(uid: string, canary: string): string {
  return JSON.stringify({
    type: "service_account",
    project_id: `proj-${uid}`,
    private_key_id: "0123456789abcdef",
    private_key: `-----BEGIN PRIVATE KEY-----\n${canary}\n-----END PRIVATE KEY-----\n`,
    client_email: `puller@proj-${uid}.iam.gserviceaccount.com`,
  });
}

test("[registries-api] credentials never appear in responses, errors or the server log", async ({ api, playwright, uid }) => {
  const canary = `canary-${uid}-SECRET`;
  const userCanary = `canaryuser-${uid}-KEYID`;
  const seen: Seen[] = [];
  const record = async (label: string, res: APIResponse): Promise<APIResponse> => {
    seen.push({ label, status: res.status(), text: await res.text() });
    return res;
  };
  const n = (i: number) => `${uid.replace(/\D/g, "").padEnd(11, "7").slice(0, 11)}${i}`;

  const bodies = [
    { id: `leak-basic-${uid}`, registry: `leak-${uid}.example.com:5000/team`, type: "basic", creds: { username: `${userCanary}-basic`, password: `${canary}-basic` } },
    { id: `leak-ecr-${uid}`, registry: `${n(1)}.dkr.ecr.eu-west-1.amazonaws.com`, type: "amazon_ecr", enable_ci: true, creds: { username: `${userCanary}-ecr`, password: `${canary}-ecr` } },
    { id: `leak-gcr-${uid}`, registry: `europe-docker.pkg.dev/proj-${uid}`, type: "google_gcr", creds: { password: serviceAccountKey(uid, `${canary}-gcr`) } },
    { id: `leak-acr-${uid}`, registry: `leak${uid}.azurecr.io`, type: "azure_acr", creds: { username: `${userCanary}-acr`, password: `${canary}-acr` } },
    { id: `leak-ref-${uid}`, registry: `leak-ref-${uid}.example.com`, type: "secret_ref", secrets: { "*": { namespace: "central", secret: "pull-secret" } } },
  ];
  for (const body of bodies) {
    const res = await record(`create ${body.type}`, await api.post("registries", { data: body }));
    expect(res.status(), await res.text()).toBe(201);
  }

  await record("list", await api.get("registries"));
  for (const body of bodies) await record(`get ${body.id}`, await api.get(`registries/${body.id}`));

  const [basic, ecr, gcr, acr] = bodies;
  await record("patch partial", await api.patch(`registries/${ecr!.id}`, { data: { enable_ci: false } }));
  await record("patch rotate", await api.patch(`registries/${basic!.id}`, { data: { creds: { password: `${canary}-rotated` } } }));
  await record("patch full", await api.patch(`registries/${acr!.id}`, { data: { ...acr, creds: { username: `${userCanary}-acr2`, password: `${canary}-acr2` } } }));
  await record("patch gcr", await api.patch(`registries/${gcr!.id}`, { data: { creds: { password: serviceAccountKey(uid, `${canary}-gcr2`) } } }));

  const failures: Array<[string, Promise<APIResponse>, number]> = [
    ["conflicting create (same id)", api.post("registries", { data: { ...basic, registry: `other-${uid}.example.com` } }), 409],
    ["conflicting create (same registry)", api.post("registries", { data: { ...ecr, id: `leak-ecr2-${uid}` } }), 409],
    ["creds on a public registry", api.post("registries", { data: { id: `leak-pub-${uid}`, registry: `pub-${uid}.example.com`, type: "public", creds: { username: userCanary, password: canary } } }), 400],
    ["gcr key that is not JSON", api.post("registries", { data: { id: `leak-gcr2-${uid}`, registry: `gcr2-${uid}.example.com`, type: "google_gcr", creds: { password: `{${canary}` } } }), 400],
    ["unknown field beside creds", api.post("registries", { data: { ...basic, id: `leak-unk-${uid}`, registry: `unk-${uid}.example.com`, token: canary } }), 400],
    ["wrong type beside creds", api.post("registries", { data: { ...basic, id: `leak-wt-${uid}`, registry: `wt-${uid}.example.com`, enable_ci: canary } }), 400],
    ["invalid JSON quoting the secret", api.post("registries", { data: Buffer.from(`{"id":"x-${uid}","creds":{"password":"${canary}" oops}}`) }), 400],
    ["invalid JSON after the secret", api.post("registries", { data: Buffer.from(`{"creds":{"password":"${canary}"}}}`) }), 400],
    ["PATCH switching type with new secret", api.patch(`registries/${ecr!.id}`, { data: { type: "secret_ref", creds: { password: canary } } }), 400],
    ["PATCH an unknown registry with a secret", api.patch(`registries/missing-${uid}`, { data: { creds: { password: canary } } }), 404],
    ["oversized body with a secret", api.post("registries", { data: JSON.stringify({ ...basic, creds: { username: "u", password: `${canary}${"x".repeat(300 * 1024)}` } }) }), 413],
  ];
  for (const [label, pending, status] of failures) {
    const res = await record(label, await pending);
    expect(res.status(), `${label}: ${await res.text()}`).toBe(status);
  }

  const stranger = await playwright.request.newContext({ baseURL: `${BASE_URL}/api/orgs/${ORG}/`, extraHTTPHeaders: { Authorization: `Bearer ${canary}` } });
  try {
    const res = await record("secret as a bearer token", await stranger.post("registries", { data: bodies[0] }));
    expect(res.status()).toBe(401);
  } finally {
    await stranger.dispose();
  }

  const created = await api.post("tokens", { data: { name: `leak-${uid}`, role: "viewer" } });
  expect(created.status()).toBe(201);
  const { token, id: tokenId } = (await created.json()) as { token: string; id: string };
  await record("token list", await api.get("tokens"));

  for (const body of bodies) {
    const res = await record(`delete ${body.id}`, await api.delete(`registries/${body.id}`));
    expect(res.status()).toBe(204);
  }
  await record("revoke token", await api.delete(`tokens/${tokenId}`));

  expect(seen.find((s) => s.label === "list")?.text).toContain(bodies[2]!.registry);
  for (const s of seen) {
    expect(s.text, `${s.label} (${s.status}) leaks the secret`).not.toContain(canary);
    expect(s.text, `${s.label} (${s.status}) leaks the access key id`).not.toContain(userCanary);
    expect(s.text, `${s.label} (${s.status}) leaks a token`).not.toContain(token);
    expect(s.text, `${s.label} (${s.status}) returns credentials`).not.toMatch(/"creds"\s*:\s*\{/);
  }

  await new Promise((r) => setTimeout(r, 300));
  const serverLog = fs.readFileSync(SERVER_LOG, "utf8");
  expect(serverLog.length).toBeGreaterThan(0);
  expect(serverLog, "the server log contains a registry secret").not.toContain(canary);
  expect(serverLog, "the server log contains an access key id").not.toContain(userCanary);
  expect(serverLog, "the server log contains an API token").not.toContain(token);
});

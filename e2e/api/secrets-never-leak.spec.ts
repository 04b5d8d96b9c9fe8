import fs from "node:fs";
import type { APIResponse } from "@playwright/test";
import { createTestPki, setupEcrIdentities, startRecorder } from "../../test/peers";
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

test("[registries-api] credentials never appear in responses, errors or the server log", async ({
  api,
  playwright,
  uid,
}) => {
  const canary = `canary-${uid}-SECRET`;
  const userCanary = `canaryuser-${uid}-KEYID`;
  const seen: Seen[] = [];
  const record = async (label: string, res: APIResponse): Promise<APIResponse> => {
    seen.push({ label, status: res.status(), text: await res.text() });
    return res;
  };
  const n = (i: number) => `${uid.replace(/\D/g, "").padEnd(11, "7").slice(0, 11)}${i}`;

  const bodies = [
    {
      id: `leak-basic-${uid}`,
      registry: `leak-${uid}.example.com:5000/team`,
      type: "basic",
      creds: { username: `${userCanary}-basic`, password: `${canary}-basic` },
    },
    {
      id: `leak-ecr-${uid}`,
      registry: `${n(1)}.dkr.ecr.eu-west-1.amazonaws.com`,
      type: "amazon_ecr",
      enable_ci: true,
      creds: { username: `${userCanary}-ecr`, password: `${canary}-ecr` },
    },
    {
      id: `leak-gcr-${uid}`,
      registry: `europe-docker.pkg.dev/proj-${uid}`,
      type: "google_gcr",
      creds: { password: serviceAccountKey(uid, `${canary}-gcr`) },
    },
    {
      id: `leak-acr-${uid}`,
      registry: `leak${uid}.azurecr.io`,
      type: "azure_acr",
      creds: { username: `${userCanary}-acr`, password: `${canary}-acr` },
    },
    {
      id: `leak-ref-${uid}`,
      registry: `leak-ref-${uid}.example.com`,
      type: "secret_ref",
      secrets: { "*": { namespace: "central", secret: "pull-secret" } },
    },
  ];
  for (const body of bodies) {
    const res = await record(`create ${body.type}`, await api.post("registries", { data: body }));
    expect(res.status(), await res.text()).toBe(201);
  }

  await record("list", await api.get("registries"));
  for (const body of bodies) await record(`get ${body.id}`, await api.get(`registries/${body.id}`));

  const [basic, ecr, gcr, acr] = bodies;
  await record("patch partial", await api.patch(`registries/${ecr!.id}`, { data: { enable_ci: false } }));
  await record(
    "patch rotate",
    await api.patch(`registries/${basic!.id}`, { data: { creds: { password: `${canary}-rotated` } } }),
  );
  await record(
    "patch full",
    await api.patch(`registries/${acr!.id}`, {
      data: { ...acr, creds: { username: `${userCanary}-acr2`, password: `${canary}-acr2` } },
    }),
  );
  await record(
    "patch gcr",
    await api.patch(`registries/${gcr!.id}`, {
      data: { creds: { password: serviceAccountKey(uid, `${canary}-gcr2`) } },
    }),
  );

  const failures: Array<[string, Promise<APIResponse>, number]> = [
    [
      "conflicting create (same id)",
      api.post("registries", { data: { ...basic, registry: `other-${uid}.example.com` } }),
      409,
    ],
    ["conflicting create (same registry)", api.post("registries", { data: { ...ecr, id: `leak-ecr2-${uid}` } }), 409],
    [
      "creds on a public registry",
      api.post("registries", {
        data: {
          id: `leak-pub-${uid}`,
          registry: `pub-${uid}.example.com`,
          type: "public",
          creds: { username: userCanary, password: canary },
        },
      }),
      400,
    ],
    [
      "gcr key that is not JSON",
      api.post("registries", {
        data: {
          id: `leak-gcr2-${uid}`,
          registry: `gcr2-${uid}.example.com`,
          type: "google_gcr",
          creds: { password: `{${canary}` },
        },
      }),
      400,
    ],
    [
      "unknown field beside creds",
      api.post("registries", {
        data: { ...basic, id: `leak-unk-${uid}`, registry: `unk-${uid}.example.com`, token: canary },
      }),
      400,
    ],
    [
      "wrong type beside creds",
      api.post("registries", {
        data: { ...basic, id: `leak-wt-${uid}`, registry: `wt-${uid}.example.com`, enable_ci: canary },
      }),
      400,
    ],
    [
      "invalid JSON quoting the secret",
      api.post("registries", { data: Buffer.from(`{"id":"x-${uid}","creds":{"password":"${canary}" oops}}`) }),
      400,
    ],
    [
      "invalid JSON after the secret",
      api.post("registries", { data: Buffer.from(`{"creds":{"password":"${canary}"}}}`) }),
      400,
    ],
    [
      "PATCH switching type with new secret",
      api.patch(`registries/${ecr!.id}`, { data: { type: "secret_ref", creds: { password: canary } } }),
      400,
    ],
    [
      "PATCH an unknown registry with a secret",
      api.patch(`registries/missing-${uid}`, { data: { creds: { password: canary } } }),
      404,
    ],
    [
      "oversized body with a secret",
      api.post("registries", {
        data: JSON.stringify({ ...basic, creds: { username: "u", password: `${canary}${"x".repeat(300 * 1024)}` } }),
      }),
      413,
    ],
  ];
  for (const [label, pending, status] of failures) {
    const res = await record(label, await pending);
    expect(res.status(), `${label}: ${await res.text()}`).toBe(status);
  }

  const stranger = await playwright.request.newContext({
    baseURL: `${BASE_URL}/api/orgs/${ORG}/`,
    extraHTTPHeaders: { Authorization: `Bearer ${canary}` },
  });
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

test("[registries-api] credential tests of stored and unsaved registries never put a secret in responses, the server log, audit entries or another host", async ({
  api,
  uid,
}) => {
  const pki = await createTestPki();
  const realm = await startRecorder({ reply: () => ({ status: 200, body: { token: "t" } }) });
  const home = await startRecorder({ tls: pki.server });
  const other = await startRecorder({ tls: pki.server });
  const bearerHome = await startRecorder({
    tls: pki.server,
    reply: () => ({
      status: 401,
      headers: { "www-authenticate": `Bearer realm="http://${realm.host}/token",service="leak"` },
    }),
  });
  try {
    const canary = `canary-${uid}-CHECK`;
    const keys = (await setupEcrIdentities(process.env.MOTO_URL!)).ecrUser;
    const ca = pki.ca.cert;
    const kinds = [
      { type: "basic", slug: "basic", creds: (c: string) => ({ username: "alice", password: c }), extra: {} },
      { type: "azure_acr", slug: "acr", creds: (c: string) => ({ username: "sp", password: c }), extra: {} },
      { type: "google_gcr", slug: "gcr", creds: (c: string) => ({ password: serviceAccountKey(uid, c) }), extra: {} },
      {
        type: "amazon_ecr",
        slug: "ecr",
        creds: () => ({ username: keys.accessKeyId, password: keys.secretAccessKey }),
        extra: { region: "us-east-1" },
      },
    ];
    const seen: Seen[] = [];
    const record = async (label: string, pending: Promise<APIResponse>): Promise<APIResponse> => {
      const res = await pending;
      seen.push({ label, status: res.status(), text: await res.text() });
      return res;
    };
    for (const kind of kinds) {
      const id = `leakchk-${kind.slug}-${uid}`;
      const secret = `${canary}-${kind.type}`;
      // One registry string per registry in an org: each kind gets its own path on the shared peers.
      const at = (host: string) => `${host}/${kind.slug}`;
      const body = {
        id,
        registry: at(home.host),
        type: kind.type,
        creds: kind.creds(secret),
        ca_cert: ca,
        ...kind.extra,
      };
      expect((await record(`create ${id}`, api.post("registries", { data: body }))).status()).toBe(201);
      await record(`stored test ${id}`, api.post(`registries/${id}/test`));
      await record(`unsaved test, same destination ${id}`, api.post("registries/test", { data: { id } }));
      await record(
        `unsaved test with creds ${id}`,
        api.post("registries/test", { data: { ...body, id: undefined, creds: kind.creds(`${secret}-unsaved`) } }),
      );
      await record(
        `unsaved test, other host ${id}`,
        api.post("registries/test", { data: { id, registry: at(other.host), ca_cert: ca } }),
      );
      await record(
        `PATCH to another host ${id}`,
        api.patch(`registries/${id}`, { data: { registry: at(other.host) } }),
      );
      await record(`stored test after the refused PATCH ${id}`, api.post(`registries/${id}/test`));
      await record(
        `http realm, unsaved ${id}`,
        api.post("registries/test", { data: { ...body, id: undefined, registry: at(bearerHome.host) } }),
      );
      await record(
        `rebound with new creds ${id}`,
        api.patch(`registries/${id}`, {
          data: { registry: at(bearerHome.host), creds: kind.creds(`${secret}-rebound`) },
        }),
      );
      await record(`stored test, http realm ${id}`, api.post(`registries/${id}/test`));
    }
    const audit = await record("audit", api.get("audit"));
    expect(audit.status()).toBe(200);

    // moto's minted ECR tokens, as the registry received them.
    const tokens = home
      .credentials()
      .flatMap((c) => (c.startsWith("Basic AWS:") ? [c.slice("Basic AWS:".length)] : []));
    expect(tokens.length).toBeGreaterThan(0);
    for (const s of seen) {
      expect(s.text, `${s.label} (${s.status}) leaks a secret`).not.toContain(canary);
      expect(s.text, `${s.label} (${s.status}) leaks the secret access key`).not.toContain(keys.secretAccessKey);
      for (const t of tokens) expect(s.text, `${s.label} (${s.status}) leaks a minted ECR token`).not.toContain(t);
    }
    expect(other.credentials(), "a stored secret reached another host").toEqual([]);
    expect(realm.connections(), "a secret went to an http token realm").toBe(0);

    await new Promise((r) => setTimeout(r, 300));
    const serverLog = fs.readFileSync(SERVER_LOG, "utf8");
    expect(serverLog, "the server log contains a registry secret").not.toContain(canary);
    expect(serverLog, "the server log contains a secret access key").not.toContain(keys.secretAccessKey);
    for (const t of tokens) expect(serverLog, "the server log contains a minted ECR token").not.toContain(t);
  } finally {
    await Promise.all([realm.stop(), home.stop(), other.stop(), bearerHome.stop()]);
    await pki.remove();
  }
});

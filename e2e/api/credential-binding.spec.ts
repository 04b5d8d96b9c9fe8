import type { APIRequestContext, APIResponse } from "@playwright/test";
import { createTestPki, type Recorder, setupEcrIdentities, startRecorder, type TestPki } from "../../test/peers";
import { expect, test } from "../fixtures";

type Check = {
  status: string;
  summary: string;
  failedStep: string | null;
  steps: Array<{ step: string; ok: boolean; detail: string }>;
};
type Audit = { actor: string; action: string; target: string; details: Record<string, unknown> | null };

let pki: TestPki;
const stoppers: Array<() => Promise<void>> = [];

test.beforeAll(async () => {
  pki = await createTestPki();
  stoppers.push(pki.remove);
});

test.afterAll(async () => {
  for (const stop of stoppers.reverse()) await stop().catch(() => {});
});

async function recorder(opts: Parameters<typeof startRecorder>[0] = {}): Promise<Recorder> {
  const r = await startRecorder({ tls: pki.server, ...opts });
  stoppers.push(r.stop);
  return r;
}

function serviceAccountKey(canary: string): string {
  return JSON.stringify({
    type: "service_account",
    project_id: "binding",
    private_key: `-----BEGIN PRIVATE KEY-----\n${canary}\n-----END PRIVATE KEY-----\n`,
    client_email: "puller@binding.iam.gserviceaccount.com",
  });
}

async function created(res: APIResponse): Promise<void> {
  expect(res.status(), await res.text()).toBe(201);
}

async function checkOf(res: APIResponse): Promise<Check> {
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as Check;
}

async function refusedNaming(res: APIResponse, field: string): Promise<string> {
  const text = await res.text();
  expect(res.status(), text).toBe(400);
  const body = JSON.parse(text) as { error: string; message: string; fields?: Record<string, string> };
  expect(body.error).toBe("VALIDATION_FAILED");
  expect(body.fields, text).toHaveProperty([field]);
  // The one-line message carries the field's own message, which names the field in words.
  expect(body.message, text).toContain(body.fields![field]);
  return body.message;
}

/** GET /audit, whatever page shape it has (a list, or {entries|items: […]}). */
async function auditOf(api: APIRequestContext, action: string): Promise<Audit[]> {
  const res = await api.get(`audit?action=${encodeURIComponent(action)}`);
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as unknown;
  if (Array.isArray(body)) return body as Audit[];
  const page = body as { entries?: Audit[]; items?: Audit[] };
  return page.entries ?? page.items ?? [];
}

type Kind = {
  type: string;
  slug: string;
  creds: (canary: string) => Record<string, string>;
  extra?: Record<string, unknown>;
};

let ecrKeys: { accessKeyId: string; secretAccessKey: string };

test.beforeAll(async () => {
  ecrKeys = (await setupEcrIdentities(process.env.MOTO_URL!)).ecrUser;
});

const kinds: Kind[] = [
  { type: "basic", slug: "basic", creds: (c) => ({ username: "alice", password: c }) },
  { type: "azure_acr", slug: "acr", creds: (c) => ({ username: "sp-binding", password: c }) },
  { type: "google_gcr", slug: "gcr", creds: (c) => ({ password: serviceAccountKey(c) }) },
  // moto mints the token; its value is what must not reach another host.
  {
    type: "amazon_ecr",
    slug: "ecr",
    creds: () => ({ username: ecrKeys.accessKeyId, password: ecrKeys.secretAccessKey }),
    extra: { region: "us-east-1" },
  },
];

for (const kind of kinds) {
  test(`[credential-binding] ${kind.type}: an unsaved test naming a stored registry but another host gets 400 naming creds.password; no credential reaches that host`, async ({
    api,
    uid,
  }) => {
    const home = await recorder();
    const other = await recorder();
    const id = `unsaved-${kind.slug}-${uid}`;
    const canary = `canary-${uid}-${kind.type}`;
    await created(
      await api.post("registries", {
        data: {
          id,
          registry: home.host,
          type: kind.type,
          creds: kind.creds(canary),
          ca_cert: pki.ca.cert,
          ...kind.extra,
        },
      }),
    );
    other.reset();
    const res = await api.post("registries/test", { data: { id, registry: other.host, ca_cert: pki.ca.cert } });
    expect(other.credentials(), "stored credentials were sent to another host").toEqual([]);
    const message = await refusedNaming(res, "creds.password");
    expect(message).toMatch(/registry/);
    expect(other.connections()).toBe(0);

    // Same destination: the stored credentials are still used.
    home.reset();
    const same = await checkOf(await api.post("registries/test", { data: { id, registry: `${home.host}/team` } }));
    expect(same.failedStep).toBe("auth");
    expect(home.credentials().length).toBe(1);
    if (kind.type !== "amazon_ecr") expect(home.credentials()[0]).toContain(canary);

    // A changed CA, type or region is another destination too.
    const pki2 = await createTestPki();
    stoppers.push(pki2.remove);
    await refusedNaming(await api.post("registries/test", { data: { id, ca_cert: pki2.ca.cert } }), "creds.password");
    const otherType = kind.type === "basic" ? "azure_acr" : "basic";
    await refusedNaming(await api.post("registries/test", { data: { id, type: otherType } }), "creds.password");
    if (kind.type === "amazon_ecr")
      await refusedNaming(await api.post("registries/test", { data: { id, region: "eu-west-1" } }), "creds.password");

    // With credentials in the body, the other host gets those and only those.
    other.reset();
    const given = kind.creds(`${canary}-given`);
    const tested = await checkOf(
      await api.post("registries/test", {
        data: { id, registry: other.host, type: kind.type, ca_cert: pki.ca.cert, creds: given, ...kind.extra },
      }),
    );
    expect(tested.failedStep).toBe("auth");
    expect(other.credentials().length).toBe(1);
    if (kind.type !== "amazon_ecr") expect(other.credentials()[0]).toContain(`${canary}-given`);
    for (const sent of other.credentials()) expect(sent).not.toMatch(new RegExp(`${canary}(?!-given)`));
  });
}

for (const kind of kinds) {
  test(`[credential-binding] ${kind.type}: PATCH changing only the host or CA is refused naming creds.password; the stored password keeps going to its own host`, async ({
    api,
    uid,
  }) => {
    const home = await recorder();
    const other = await recorder();
    const id = `patch-${kind.slug}-${uid}`;
    const canary = `canary-${uid}-patch-${kind.type}`;
    await created(
      await api.post("registries", {
        data: {
          id,
          registry: home.host,
          type: kind.type,
          creds: kind.creds(canary),
          ca_cert: pki.ca.cert,
          ...kind.extra,
        },
      }),
    );
    other.reset();
    const patched = await api.patch(`registries/${id}`, { data: { registry: other.host, ca_cert: pki.ca.cert } });
    await checkOf(await api.post(`registries/${id}/test`));
    expect(other.credentials(), "stored credentials were sent to the new host").toEqual([]);
    const message = await refusedNaming(patched, "creds.password");
    expect(message).toMatch(/(Password|secret|key) is required again: the registry host changed/);
    expect(((await (await api.get(`registries/${id}`)).json()) as { registry: string }).registry).toBe(home.host);

    const pki2 = await createTestPki();
    stoppers.push(pki2.remove);
    await refusedNaming(await api.patch(`registries/${id}`, { data: { ca_cert: pki2.ca.cert } }), "creds.password");
    if (kind.type === "amazon_ecr")
      await refusedNaming(await api.patch(`registries/${id}`, { data: { region: "eu-west-1" } }), "creds.password");

    // A new path on the same host keeps the credentials; new credentials may go with a new host.
    expect(
      (await api.patch(`registries/${id}`, { data: { registry: `${home.host}/team`, enable_ci: true } })).status(),
    ).toBe(200);
    const moved = await api.patch(`registries/${id}`, {
      data: { registry: other.host, creds: kind.creds(`${canary}-new`) },
    });
    expect(moved.status(), await moved.text()).toBe(200);
    other.reset();
    home.reset();
    await checkOf(await api.post(`registries/${id}/test`));
    expect(home.connections()).toBe(0);
    expect(other.credentials().length).toBe(1);
    if (kind.type !== "amazon_ecr") expect(other.credentials()[0]).toContain(`${canary}-new`);
  });
}

test("[credential-binding] registries without credentials (public) move to another host freely", async ({
  api,
  uid,
}) => {
  const id = `patch-public-${uid}`;
  await created(await api.post("registries", { data: { id, registry: `public-${uid}.example.com`, type: "public" } }));
  const moved = await api.patch(`registries/${id}`, { data: { registry: `public2-${uid}.example.com` } });
  expect(moved.status(), await moved.text()).toBe(200);
});

test("[credential-binding] a token realm over plain http is refused with failedStep token; the realm receives nothing", async ({
  api,
  uid,
}) => {
  const realm = await startRecorder({ reply: () => ({ status: 200, body: { token: "t" } }) });
  stoppers.push(realm.stop);
  const registry = await recorder({
    reply: () => ({
      status: 401,
      headers: { "www-authenticate": `Bearer realm="http://${realm.host}/token",service="binding"` },
    }),
  });
  const id = `realm-${uid}`;
  const canary = `canary-${uid}-realm`;
  await created(
    await api.post("registries", {
      data: {
        id,
        registry: registry.host,
        type: "basic",
        creds: { username: "alice", password: canary },
        ca_cert: pki.ca.cert,
      },
    }),
  );
  const stored = await checkOf(await api.post(`registries/${id}/test`));
  const unsaved = await checkOf(
    await api.post("registries/test", {
      data: {
        registry: registry.host,
        type: "basic",
        creds: { username: "bob", password: `${canary}-unsaved` },
        ca_cert: pki.ca.cert,
      },
    }),
  );
  expect(realm.credentials(), "the password went to the realm in cleartext").toEqual([]);
  expect(realm.connections()).toBe(0);
  for (const r of [stored, unsaved]) {
    expect(r.failedStep).toBe("token");
    expect(r.summary).toMatch(/https/);
    expect(r.summary).toContain(`http://${realm.host}/token`);
  }
});

test("[credential-binding] every credential test is audited: stored, unsaved, refused; no secret in the entries", async ({
  api,
  uid,
}) => {
  const home = await recorder();
  const id = `audit-${uid}`;
  const canary = `canary-${uid}-audit`;
  await created(
    await api.post("registries", {
      data: {
        id,
        registry: home.host,
        type: "basic",
        creds: { username: "alice", password: canary },
        ca_cert: pki.ca.cert,
      },
    }),
  );
  await checkOf(await api.post(`registries/${id}/test`));
  await checkOf(await api.post("registries/test", { data: { id } }));
  await checkOf(
    await api.post("registries/test", {
      data: {
        registry: `${home.host}/${uid}`,
        type: "basic",
        creds: { username: "carol", password: `${canary}-unsaved` },
        ca_cert: pki.ca.cert,
      },
    }),
  );
  await refusedNaming(
    await api.post("registries/test", { data: { id, registry: `elsewhere-${uid}.invalid` } }),
    "creds.password",
  );

  const entries = (await auditOf(api, "registry.test")).filter(
    (e) => e.target === id || JSON.stringify(e.details).includes(uid),
  );
  const text = JSON.stringify(entries);
  expect(text).not.toContain(canary);
  const mine = entries.filter((e) => e.target === id);
  expect(mine.length, text).toBe(3);
  for (const e of entries) expect(e.actor).toBe("token:bootstrap");
  expect(mine.map((e) => e.details?.host)).toEqual(expect.arrayContaining([home.host, `elsewhere-${uid}.invalid`]));
  expect(mine.map((e) => e.details?.status)).toEqual(expect.arrayContaining(["invalid", "refused"]));
  const unsaved = entries.find((e) => e.target === "unsaved");
  expect(unsaved?.details).toMatchObject({ host: home.host, status: "invalid", failedStep: "auth" });
});

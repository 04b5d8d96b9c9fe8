import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { BASE_URL, BOOTSTRAP_TOKEN, ORG } from "../env";
import { expect, test } from "../fixtures";

const CREATED_AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/;
const SEED_ACCOUNT = "667740703053";

// The how-to's two commands, verbatim (seed/imagepullsecrets-howto.md); the second has a stray `}`.
const SEED_FIRST_CURL = [
  'export HUMANITEC_ORG="myorg"',
  'export HUMANITEC_TOKEN="mytoken"',
  'curl "https://api.humanitec.io/orgs/${HUMANITEC_ORG}/registries" \\',
  '  -X POST -H "Authorization: Bearer ${HUMANITEC_TOKEN}" \\',
  "  --data '{",
  '   "id":"myecrregistry",',
  '   "registry":"667740703053.dkr.ecr.ca-central-1.amazonaws.com",',
  '   "type":"amazon_ecr",',
  '   "enable_ci":false,',
  '   "creds":{',
  '      "username":"AKIAIOSFODNN7EXAMPLE",',
  '      "password":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
  "   }",
  "}'",
].join("\n");

const SEED_SECOND_BODY = [
  "{",
  '   "id":"registrycopy",',
  '   "registry":"667740703053.dkr.ecr.ca-central-1.amazonaws.com/project",',
  '   "type":"secret_ref",',
  '   "enable_ci":false,',
  '   "secrets":{',
  '      "clustername":{',
  '         "namespace":"somenamespace",',
  '         "secret":"secretname"',
  "      }",
  "   }",
  "}",
  "}",
].join("\n");

const SEED_SECOND_CURL = [
  'export HUMANITEC_ORG="myorg"',
  'export HUMANITEC_TOKEN="mytoken"',
  'curl "https://api.humanitec.io/orgs/${HUMANITEC_ORG}/registries" \\',
  '  -X POST -H "Authorization: Bearer ${HUMANITEC_TOKEN}" \\',
  `  --data '${SEED_SECOND_BODY}'`,
].join("\n");

/** A 12-digit AWS account derived from the test's uid, so ECR hosts stay unique in the org. */
function accountFor(uid: string): string {
  const n = BigInt(`0x${createHash("sha256").update(uid).digest("hex").slice(0, 16)}`) % 10n ** 12n;
  return n.toString().padStart(12, "0");
}

/** Points a seed script at this server, swapping only the org, token, id and account digits. */
function adaptSeed(script: string, replace: { id: [string, string]; account: string }): string {
  return script
    .replace("https://api.humanitec.io", `${BASE_URL}/api`)
    .replace('HUMANITEC_ORG="myorg"', `HUMANITEC_ORG="${ORG}"`)
    .replace('HUMANITEC_TOKEN="mytoken"', `HUMANITEC_TOKEN="${BOOTSTRAP_TOKEN}"`)
    .replace(`"id":"${replace.id[0]}"`, `"id":"${replace.id[1]}"`)
    .replaceAll(SEED_ACCOUNT, replace.account);
}

/** Runs a shell script with the real curl; a wrapper only adds -sS and prints the status on the last line. */
function runCurl(script: string): { status: number; body: unknown } {
  const wrapped = `curl() { command curl -sS -w '\\n%{http_code}' "$@"; }\n${script}\n`;
  const out = execFileSync("bash", ["-c", wrapped], { encoding: "utf8", timeout: 30_000 });
  const lines = out.trimEnd().split("\n");
  const status = Number(lines.pop());
  return { status, body: JSON.parse(lines.join("\n")) };
}

function ecrBody(id: string, uid: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    registry: `${accountFor(uid)}.dkr.ecr.ca-central-1.amazonaws.com`,
    type: "amazon_ecr",
    enable_ci: false,
    creds: { username: "AKIAIOSFODNN7EXAMPLE", password: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    ...extra,
  };
}

async function jsonOf(res: APIResponse): Promise<Record<string, unknown>> {
  const text = await res.text();
  expect(text, "responses never echo a secret").not.toContain("wJalrXUtnFEMI");
  return JSON.parse(text) as Record<string, unknown>;
}

async function expectRegistry(
  res: APIResponse,
  status: number,
  want: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  expect(res.status(), await res.text()).toBe(status);
  expect(res.headers()["content-type"]).toContain("application/json");
  const body = await jsonOf(res);
  expect(body, "credentials are write-only").not.toHaveProperty("creds");
  expect(body).toMatchObject(want);
  expect(body.created_at).toMatch(CREATED_AT);
  expect(typeof body.created_by).toBe("string");
  expect(body.created_by).not.toBe("");
  expect(Object.keys(body).sort()).toEqual(
    expect.arrayContaining(["created_at", "created_by", "enable_ci", "id", "registry", "type"]),
  );
  return body;
}

async function expectError(
  res: APIResponse,
  status: number,
  code: string,
  fields?: string[],
): Promise<{ error: string; message: string; fields?: Record<string, string> }> {
  expect(res.status(), await res.text()).toBe(status);
  const body = (await jsonOf(res)) as { error: string; message: string; fields?: Record<string, string> };
  expect(body.error).toBe(code);
  expect(typeof body.message).toBe("string");
  expect(body.message.length).toBeGreaterThan(0);
  for (const f of fields ?? []) expect(body.fields, `fields should name ${f}`).toHaveProperty([f]);
  return body;
}

async function expectAbsent(api: APIRequestContext, id: string): Promise<void> {
  await expectError(await api.get(`registries/${id}`), 404, "NOT_FOUND");
}

async function createToken(api: APIRequestContext, name: string, role: string): Promise<string> {
  const res = await api.post("tokens", { data: { name, role, ci: false } });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { token: string; role: string; name: string };
  expect(body).toMatchObject({ name, role });
  expect(body.token).toMatch(/^rgc_/);
  return body.token;
}

test("[registries-api] lists, creates, gets, patches and deletes a registry", async ({ api, uid }) => {
  const id = `crud-${uid}`;
  const created = await expectRegistry(await api.post("registries", { data: ecrBody(id, uid) }), 201, {
    id,
    type: "amazon_ecr",
    enable_ci: false,
    created_by: "token:bootstrap",
  });
  expect(created).not.toHaveProperty("secrets");

  const list = await api.get("registries");
  expect(list.status()).toBe(200);
  const all = (await jsonOf(list)) as unknown as Array<Record<string, unknown>>;
  expect(Array.isArray(all)).toBe(true);
  for (const r of all) expect(r).not.toHaveProperty("creds");
  expect(all.find((r) => r.id === id)).toEqual(created);

  await expectRegistry(await api.get(`registries/${id}`), 200, created);
  const patched = await expectRegistry(await api.patch(`registries/${id}`, { data: { enable_ci: true } }), 200, {
    ...created,
    enable_ci: true,
  });
  expect(patched.created_at).toBe(created.created_at);

  const del = await api.delete(`registries/${id}`);
  expect(del.status()).toBe(204);
  expect(await del.text()).toBe("");
  await expectAbsent(api, id);
  await expectError(await api.delete(`registries/${id}`), 404, "NOT_FOUND");
});

test("[registries-api] the how-to's first curl, run verbatim, creates the ECR registry", async ({ api, uid }) => {
  const id = `myecrregistry-${uid}`;
  const account = accountFor(uid);
  const { status, body } = runCurl(adaptSeed(SEED_FIRST_CURL, { id: ["myecrregistry", id], account }));
  expect(status, JSON.stringify(body)).toBe(201);
  expect(body).toMatchObject({
    id,
    registry: `${account}.dkr.ecr.ca-central-1.amazonaws.com`,
    type: "amazon_ecr",
    enable_ci: false,
  });
  expect(body).not.toHaveProperty("creds");
  await expectRegistry(await api.get(`registries/${id}`), 200, { id, type: "amazon_ecr" });
});

test("[registries-api] the how-to's second curl (stray brace) is a 400 naming line and column; the corrected body is created", async ({
  api,
  uid,
}) => {
  const id = `registrycopy-${uid}`;
  const account = accountFor(uid);
  const bad = runCurl(adaptSeed(SEED_SECOND_CURL, { id: ["registrycopy", id], account }));
  expect(bad.status).toBe(400);
  const err = bad.body as { error: string; message: string };
  expect(err.error).toBe("INVALID_JSON");
  expect(err.message).toMatch(/not valid JSON/);
  expect(err.message).toContain("line 13, column 1");
  await expectAbsent(api, id);
  const list = (await (await api.get("registries")).json()) as Array<{ id: string }>;
  expect(list.map((r) => r.id)).not.toContain(id);

  const corrected = adaptSeed(SEED_SECOND_CURL.replace("}\n}\n}'", "}\n}'"), { id: ["registrycopy", id], account });
  const good = runCurl(corrected);
  expect(good.status, JSON.stringify(good.body)).toBe(201);
  expect(good.body).toMatchObject({
    id,
    registry: `${account}.dkr.ecr.ca-central-1.amazonaws.com/project`,
    type: "secret_ref",
    enable_ci: false,
    secrets: { clustername: { namespace: "somenamespace", secret: "secretname" } },
  });
  await expectRegistry(await api.get(`registries/${id}`), 200, { id, type: "secret_ref" });
});

test("[registries-api] reads the body as JSON whatever the Content-Type", async ({ api, uid }) => {
  for (const [i, contentType] of ["application/json", "text/plain", "application/x-www-form-urlencoded"].entries()) {
    const id = `ctype${i}-${uid}`;
    const res = await api.post("registries", {
      data: JSON.stringify({ id, registry: `ctype${i}-${uid}.example.com`, type: "public" }),
      headers: { "Content-Type": contentType },
    });
    await expectRegistry(res, 201, { id, type: "public" });
  }
});

test("[registries-api] 401 without a token, with a bad token or a malformed header", async ({ playwright, uid }) => {
  const anon = await playwright.request.newContext({ baseURL: `${BASE_URL}/api/orgs/${ORG}/` });
  try {
    const body = { id: `anon-${uid}`, registry: `anon-${uid}.example.com`, type: "public" };
    const variants: Array<Record<string, string>> = [
      {},
      { Authorization: "Bearer not-a-real-token" },
      { Authorization: "Basic Zm9vOmJhcg==" },
      { Authorization: "Bearer" },
    ];
    for (const headers of variants) {
      const list = await anon.get("registries", { headers });
      await expectError(list, 401, "UNAUTHENTICATED");
      expect(list.headers()["www-authenticate"]).toContain("Bearer");
      await expectError(await anon.post("registries", { headers, data: body }), 401, "UNAUTHENTICATED");
      await expectError(await anon.get(`registries/anon-${uid}`, { headers }), 401, "UNAUTHENTICATED");
      await expectError(
        await anon.patch(`registries/anon-${uid}`, { headers, data: { enable_ci: true } }),
        401,
        "UNAUTHENTICATED",
      );
      await expectError(await anon.delete(`registries/anon-${uid}`, { headers }), 401, "UNAUTHENTICATED");
    }
  } finally {
    await anon.dispose();
  }
});

test("[registries-api] 404 for an unknown org and an unknown registry", async ({ api, playwright, uid }) => {
  const elsewhere = await playwright.request.newContext({
    baseURL: `${BASE_URL}/api/orgs/no-such-org-${uid}/`,
    extraHTTPHeaders: { Authorization: `Bearer ${BOOTSTRAP_TOKEN}` },
  });
  try {
    await expectError(await elsewhere.get("registries"), 404, "NOT_FOUND");
    await expectError(await elsewhere.post("registries", { data: ecrBody(`x-${uid}`, uid) }), 404, "NOT_FOUND");
    await expectError(await elsewhere.get(`registries/x-${uid}`), 404, "NOT_FOUND");
  } finally {
    await elsewhere.dispose();
  }
  const missing = `missing-${uid}`;
  await expectError(await api.get(`registries/${missing}`), 404, "NOT_FOUND");
  await expectError(await api.patch(`registries/${missing}`, { data: { enable_ci: true } }), 404, "NOT_FOUND");
  await expectError(await api.delete(`registries/${missing}`), 404, "NOT_FOUND");
});

test("[registries-api] 409 for a duplicate id or a duplicate registry string", async ({ api, uid }) => {
  const id = `dup-${uid}`;
  const first = ecrBody(id, uid);
  await expectRegistry(await api.post("registries", { data: first }), 201, { id });

  const sameId = await expectError(
    await api.post("registries", {
      data: { ...first, registry: `dup-${uid}.example.com`, type: "public", creds: undefined },
    }),
    409,
    "CONFLICT",
    ["id"],
  );
  expect(sameId.message).toContain(id);
  const sameUrl = await expectError(
    await api.post("registries", { data: { ...first, id: `dup2-${uid}` } }),
    409,
    "CONFLICT",
    ["registry"],
  );
  expect(sameUrl.message).toContain(first.registry);
  await expectAbsent(api, `dup2-${uid}`);

  const other = `dup3-${uid}`;
  await expectRegistry(
    await api.post("registries", { data: { id: other, registry: `dup3-${uid}.example.com`, type: "public" } }),
    201,
    { id: other },
  );
  await expectError(await api.patch(`registries/${other}`, { data: { registry: first.registry } }), 409, "CONFLICT", [
    "registry",
  ]);
  await expectRegistry(await api.get(`registries/${other}`), 200, { registry: `dup3-${uid}.example.com` });
});

test("[registries-api] 400 for invalid bodies, and nothing is stored", async ({ api, uid }) => {
  const id = `bad-${uid}`;
  const host = `${accountFor(uid)}.dkr.ecr.ca-central-1.amazonaws.com`;
  const cases: Array<[string, unknown, string[]]> = [
    ["unknown fields", { id, registry: host, type: "public", colour: "blue", size: 3 }, ["body"]],
    [
      "unknown nested field",
      { id, registry: host, type: "basic", creds: { username: "u", password: "p", token: "t" } },
      ["creds"],
    ],
    ["missing id, registry and type", { enable_ci: true }, ["id", "registry", "type"]],
    ["amazon_ecr without creds", { id, registry: host, type: "amazon_ecr" }, ["creds.username", "creds.password"]],
    [
      "amazon_ecr with only the access key",
      { id, registry: host, type: "amazon_ecr", creds: { username: "AKIAIOSFODNN7EXAMPLE" } },
      ["creds.password"],
    ],
    [
      "amazon_ecr with only the secret",
      { id, registry: host, type: "amazon_ecr", creds: { password: "s3cr3t" } },
      ["creds.username"],
    ],
    [
      "amazon_ecr on a non-ECR host without region",
      { id, registry: `registry-${uid}.example.com`, type: "amazon_ecr", creds: { username: "a", password: "b" } },
      ["registry"],
    ],
    ["basic without creds", { id, registry: host, type: "basic" }, ["creds.username", "creds.password"]],
    ["secret_ref with empty secrets", { id, registry: host, type: "secret_ref", secrets: {} }, ["secrets"]],
    ["secret_ref without secrets", { id, registry: host, type: "secret_ref" }, ["secrets"]],
    [
      "secret_ref with an invalid namespace",
      { id, registry: host, type: "secret_ref", secrets: { "*": { namespace: "Some_Namespace", secret: "s" } } },
      ["secrets.*.namespace"],
    ],
    [
      "secret_ref with an invalid secret name",
      { id, registry: host, type: "secret_ref", secrets: { c1: { namespace: "ns", secret: "Bad Name" } } },
      ["secrets.c1.secret"],
    ],
    ["an uppercase id", { id: `Bad_${uid}`, registry: host, type: "public" }, ["id"]],
    ["an id ending in a dash", { id: `${id}-`, registry: host, type: "public" }, ["id"]],
    ["a two-character id", { id: "ab", registry: host, type: "public" }, ["id"]],
    ["a registry with a scheme", { id, registry: `https://${host}`, type: "public" }, ["registry"]],
    ["an unknown type", { id, registry: host, type: "quay" }, ["type"]],
    ["enable_ci as a string", { id, registry: host, type: "public", enable_ci: "yes" }, ["enable_ci"]],
    ["a JSON array", [{ id, registry: host, type: "public" }], ["body"]],
  ];
  for (const [name, data, fields] of cases) {
    await test.step(name, async () => {
      const err = await expectError(
        await api.post("registries", { data: JSON.stringify(data) }),
        400,
        "VALIDATION_FAILED",
        fields,
      );
      for (const f of fields.filter((x) => x !== "body")) expect(err.message).toContain(err.fields![f]);
    });
  }
  const unknown = await expectError(await api.post("registries", { data: cases[0]![1] }), 400, "VALIDATION_FAILED");
  expect(unknown.message).toContain("colour");
  expect(unknown.message).toContain("size");
  const nested = await expectError(await api.post("registries", { data: cases[1]![1] }), 400, "VALIDATION_FAILED");
  expect(nested.message).toContain("creds.token");

  await expectError(await api.post("registries", { data: Buffer.alloc(0) }), 400, "INVALID_JSON");
  await expectError(await api.post("registries"), 400, "INVALID_JSON");
  await expectError(
    await api.post("registries", { data: Buffer.from("{not json"), headers: { "Content-Type": "application/json" } }),
    400,
    "INVALID_JSON",
  );
  await expectAbsent(api, id);
  const list = (await (await api.get("registries")).json()) as Array<{ registry: string }>;
  expect(list.map((r) => r.registry)).not.toContain(host);
});

test("[registries-api] an all-digit id such as 667740703053 is valid", async ({ api, uid }) => {
  const id = accountFor(`${uid}-id`);
  expect(id).toMatch(/^\d{12}$/);
  await expectRegistry(await api.post("registries", { data: ecrBody(id, uid) }), 201, { id, type: "amazon_ecr" });
  await expectRegistry(await api.get(`registries/${id}`), 200, { id });
});

test("[registries-api] PATCH merges partial bodies and validates the result", async ({ api, uid }) => {
  const id = `patch-${uid}`;
  const body = ecrBody(id, uid);
  await expectRegistry(await api.post("registries", { data: body }), 201, { id, enable_ci: false });

  await expectRegistry(await api.patch(`registries/${id}`, { data: { enable_ci: true } }), 200, {
    id,
    type: "amazon_ecr",
    enable_ci: true,
    registry: body.registry,
  });
  const toBasic = await expectError(
    await api.patch(`registries/${id}`, { data: { type: "basic" } }),
    400,
    "VALIDATION_FAILED",
    ["creds.username"],
  );
  expect(toBasic.fields!["creds.username"]).toMatch(/^Username is required again: the type and region changed/);
  expect(toBasic.message).toContain(toBasic.fields!["creds.username"]);
  await expectRegistry(await api.get(`registries/${id}`), 200, { type: "amazon_ecr", enable_ci: true });

  await expectError(
    await api.patch(`registries/${id}`, { data: { id: `other-${uid}`, enable_ci: false } }),
    400,
    "VALIDATION_FAILED",
    ["id"],
  );
  await expectError(
    await api.patch(`registries/${id}`, { data: { enable_ci: false, colour: "red" } }),
    400,
    "VALIDATION_FAILED",
    ["body"],
  );
  await expectError(await api.patch(`registries/${id}`, { data: '{"enable_ci": false}}' }), 400, "INVALID_JSON");
  await expectRegistry(await api.get(`registries/${id}`), 200, { enable_ci: true });

  await expectRegistry(await api.patch(`registries/${id}`, { data: { ...body, enable_ci: false } }), 200, {
    id,
    type: "amazon_ecr",
    enable_ci: false,
    registry: body.registry,
  });
  await expectRegistry(
    await api.patch(`registries/${id}`, { data: { type: "basic", creds: { username: "robot", password: "pw" } } }),
    200,
    { id, type: "basic" },
  );
});

test("[registries-api] 413 for a body over 256 KiB", async ({ api, uid }) => {
  const id = `big-${uid}`;
  const data = JSON.stringify({
    id,
    registry: `big-${uid}.example.com`,
    type: "basic",
    creds: { username: "u", password: "x".repeat(300 * 1024) },
  });
  await expectError(await api.post("registries", { data }), 413, "PAYLOAD_TOO_LARGE");
  await expectAbsent(api, id);
  await expectRegistry(
    await api.post("registries", { data: { id, registry: `big-${uid}.example.com`, type: "public" } }),
    201,
    { id },
  );
  await expectError(
    await api.patch(`registries/${id}`, { data: JSON.stringify({ ca_cert: "y".repeat(260 * 1024) }) }),
    413,
    "PAYLOAD_TOO_LARGE",
  );
});

test("[registries-api] viewers read, managers write, admins manage tokens", async ({ api, playwright, uid }) => {
  const viewerToken = await createToken(api, `viewer-${uid}`, "viewer");
  const managerToken = await createToken(api, `manager-${uid}`, "manager");
  const as = (token: string) =>
    playwright.request.newContext({
      baseURL: `${BASE_URL}/api/orgs/${ORG}/`,
      extraHTTPHeaders: { Authorization: `Bearer ${token}` },
    });
  const viewer = await as(viewerToken);
  const manager = await as(managerToken);
  try {
    const id = `roles-${uid}`;
    await expectRegistry(await api.post("registries", { data: ecrBody(id, uid) }), 201, { id });

    expect((await viewer.get("registries")).status()).toBe(200);
    await expectRegistry(await viewer.get(`registries/${id}`), 200, { id });
    await expectError(
      await viewer.post("registries", { data: { id: `v-${uid}`, registry: `v-${uid}.example.com`, type: "public" } }),
      403,
      "FORBIDDEN",
    );
    await expectError(await viewer.patch(`registries/${id}`, { data: { enable_ci: true } }), 403, "FORBIDDEN");
    await expectError(await viewer.delete(`registries/${id}`), 403, "FORBIDDEN");
    await expectAbsent(api, `v-${uid}`);
    await expectRegistry(await api.get(`registries/${id}`), 200, { enable_ci: false });

    const mid = `m-${uid}`;
    await expectRegistry(
      await manager.post("registries", { data: { id: mid, registry: `m-${uid}.example.com`, type: "public" } }),
      201,
      { id: mid, created_by: `token:manager-${uid}` },
    );
    await expectRegistry(await manager.patch(`registries/${id}`, { data: { enable_ci: true } }), 200, {
      id,
      enable_ci: true,
    });
    expect((await manager.delete(`registries/${mid}`)).status()).toBe(204);
    await expectError(await manager.post("tokens", { data: { name: "nope", role: "admin" } }), 403, "FORBIDDEN");
    await expectError(await manager.get("tokens"), 403, "FORBIDDEN");

    const tokens = await api.get("tokens");
    expect(tokens.status()).toBe(200);
    const text = await tokens.text();
    expect(text).not.toContain(viewerToken);
    const viewerView = (JSON.parse(text) as Array<{ id: string; name: string; lastUsedAt: string | null }>).find(
      (t) => t.name === `viewer-${uid}`,
    );
    expect(viewerView?.lastUsedAt).toMatch(CREATED_AT);

    expect((await api.delete(`tokens/${viewerView!.id}`)).status()).toBe(204);
    await expectError(await viewer.get("registries"), 401, "UNAUTHENTICATED");
    await expectError(await api.delete(`tokens/${viewerView!.id}`), 404, "NOT_FOUND");
    await expectError(await api.post("tokens", { data: { name: "x", role: "owner" } }), 400, "VALIDATION_FAILED", [
      "role",
    ]);
  } finally {
    await viewer.dispose();
    await manager.dispose();
  }
});

test("[registries-api] /api/openapi.json is public and describes every route and status", async ({ playwright }) => {
  const anon = await playwright.request.newContext({ baseURL: BASE_URL });
  try {
    const res = await anon.get("/api/openapi.json");
    expect(res.status()).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      servers: Array<{ url: string }>;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
      components: {
        schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
        securitySchemes: Record<string, { scheme?: string }>;
      };
    };
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.servers).toEqual([{ url: "/" }]);
    expect(doc.components.securitySchemes.bearerAuth?.scheme).toBe("bearer");
    const ops = (p: string) => doc.paths[p] ?? {};
    const statuses = (p: string, m: string) => Object.keys(ops(p)[m]?.responses ?? {}).sort();
    expect(statuses("/api/orgs/{orgId}/registries", "get")).toEqual(expect.arrayContaining(["200", "401", "404"]));
    expect(statuses("/api/orgs/{orgId}/registries", "post")).toEqual(
      expect.arrayContaining(["201", "400", "401", "403", "404", "409", "413"]),
    );
    expect(statuses("/api/orgs/{orgId}/registries/{regId}", "get")).toEqual(
      expect.arrayContaining(["200", "401", "404"]),
    );
    expect(statuses("/api/orgs/{orgId}/registries/{regId}", "patch")).toEqual(
      expect.arrayContaining(["200", "400", "401", "403", "404", "409", "413"]),
    );
    expect(statuses("/api/orgs/{orgId}/registries/{regId}", "delete")).toEqual(
      expect.arrayContaining(["204", "401", "403", "404"]),
    );
    expect(statuses("/api/orgs/{orgId}/tokens", "get")).toEqual(expect.arrayContaining(["200", "401", "403", "404"]));
    expect(statuses("/api/orgs/{orgId}/tokens", "post")).toEqual(
      expect.arrayContaining(["201", "400", "401", "403", "404"]),
    );
    expect(statuses("/api/orgs/{orgId}/tokens/{tokenId}", "delete")).toEqual(
      expect.arrayContaining(["204", "401", "403", "404"]),
    );
    const documented = Object.entries(doc.paths).flatMap(([p, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${p.replace("/api/orgs/{orgId}", "")}`),
    );
    expect(documented).toEqual(
      expect.arrayContaining([
        "POST /registries/test",
        "POST /registries/{regId}/test",
        "GET /registries/{regId}/creds",
        "GET /images/resolve",
        "GET /users",
        "POST /users",
        "PATCH /users/{userId}",
        "DELETE /users/{userId}",
        "GET /audit",
        "GET /clusters",
        "POST /clusters",
        "GET /clusters/{clusterId}",
        "PATCH /clusters/{clusterId}",
        "DELETE /clusters/{clusterId}",
        "POST /clusters/{clusterId}/test",
        "GET /clusters/{clusterId}/namespaces",
        "GET /clusters/importable",
        "POST /clusters/import",
        "POST /clusters/inspect",
        "GET /secrets",
      ]),
    );
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(methods))
        expect(Object.keys(op.responses), `${m} ${p}`).toEqual(expect.arrayContaining(["401", "500"]));
    }
    const request = doc.components.schemas.RegistryRequest!;
    expect(request.required).toEqual(["id", "registry", "type"]);
    expect(Object.keys(request.properties ?? {})).not.toContain("created_at");
    expect(Object.keys(doc.components.schemas.RegistryResponse!.properties ?? {})).not.toContain("creds");
    expect(doc.components.schemas.Error!.required).toEqual(expect.arrayContaining(["error", "message"]));
  } finally {
    await anon.dispose();
  }
});

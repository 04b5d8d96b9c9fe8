import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "../fixtures";
import { ADMIN_EMAIL, BASE_URL, ORG } from "../env";

type Member = { userId: string; email: string; name: string; role: string; pending: boolean };
type Token = {
  id: string;
  name: string;
  prefix: string;
  role: string;
  scopes: string[];
  lastUsedAt: string | null;
  revokedAt: string | null;
  token?: string;
};

const orgPath = (rest: string) => `${BASE_URL}/api/orgs/${ORG}/${rest}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function createToken(api: APIRequestContext, body: Record<string, unknown>): Promise<Token & { token: string }> {
  const res = await api.post("tokens", { data: body });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

async function members(api: APIRequestContext): Promise<Member[]> {
  const res = await api.get("users");
  expect(res.status()).toBe(200);
  return res.json();
}

async function memberByEmail(api: APIRequestContext, email: string): Promise<Member | undefined> {
  return (await members(api)).find((m) => m.email === email);
}

test("[tokens] create, use, list and revoke a token; the plaintext is shown once", async ({ api, request, uid }) => {
  const created = await createToken(api, { name: `ci-${uid}`, role: "manager", ci: true });
  expect(created.token).toMatch(/^rgc_[\w-]{40,}$/);
  expect(created).toMatchObject({
    name: `ci-${uid}`,
    role: "manager",
    scopes: ["ci"],
    prefix: created.token.slice(0, 8),
    lastUsedAt: null,
    revokedAt: null,
  });

  expect((await request.get(orgPath("registries"), { headers: bearer(created.token) })).status()).toBe(200);

  const listRes = await api.get("tokens");
  expect(listRes.status()).toBe(200);
  expect(await listRes.text()).not.toContain(created.token);
  const listed = ((await listRes.json()) as Token[]).find((t) => t.id === created.id);
  expect(listed).toBeDefined();
  expect(listed).not.toHaveProperty("token");
  expect(listed!.lastUsedAt).not.toBeNull();

  expect((await api.delete(`tokens/${created.id}`)).status()).toBe(204);
  const again = await api.delete(`tokens/${created.id}`);
  expect(again.status()).toBe(404);
  expect(await again.json()).toMatchObject({ error: "NOT_FOUND" });

  const refused = await request.get(orgPath("registries"), { headers: bearer(created.token) });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["www-authenticate"]).toContain("Bearer");
  expect(await refused.json()).toMatchObject({ error: "UNAUTHENTICATED" });
  const revoked = ((await (await api.get("tokens")).json()) as Token[]).find((t) => t.id === created.id);
  expect(revoked!.revokedAt).not.toBeNull();
});

test("[tokens] viewer and manager tokens cannot create tokens or manage users", async ({ api, request, uid }) => {
  for (const role of ["viewer", "manager"] as const) {
    const { token, id } = await createToken(api, { name: `${role}-${uid}`, role });
    const headers = bearer(token);
    const create = await request.post(orgPath("tokens"), { headers, data: { name: `escalate-${uid}`, role: "admin" } });
    expect(create.status(), role).toBe(403);
    expect(await create.json()).toMatchObject({
      error: "FORBIDDEN",
      message: `This needs the admin role; you have ${role}.`,
    });
    expect((await request.get(orgPath("tokens"), { headers })).status(), role).toBe(403);
    expect((await request.delete(orgPath(`tokens/${id}`), { headers })).status(), role).toBe(403);
    expect(
      (
        await request.post(orgPath("users"), { headers, data: { email: `${role}-${uid}@e2e.test`, role: "admin" } })
      ).status(),
      role,
    ).toBe(403);
    expect((await request.get(orgPath("registries"), { headers })).status(), role).toBe(200);
    expect((await api.delete(`tokens/${id}`)).status()).toBe(204);
  }
  expect((await api.get("tokens")).status()).toBe(200);
});

test("[tokens] validation errors name the field", async ({ api, uid }) => {
  const cases: Array<{ path: string; data: unknown; fields: Record<string, string> }> = [
    {
      path: "tokens",
      data: { role: "owner" },
      fields: { name: "Name is required", role: "Role must be viewer, manager or admin" },
    },
    { path: "tokens", data: { name: "  ", role: "viewer" }, fields: { name: "Name is required" } },
    {
      path: "tokens",
      data: { name: "x", role: "viewer", ci: "yes" },
      fields: { ci: "CI access (ci) must be true or false" },
    },
    { path: "tokens", data: { name: "x", role: "viewer", scopes: ["ci"] }, fields: { body: "Unknown field: scopes" } },
    {
      path: "users",
      data: { email: "not-an-email", role: "viewer" },
      fields: { email: "Email must be an email address such as name@example.com" },
    },
    { path: "users", data: { role: "viewer" }, fields: { email: "Email is required" } },
    { path: "users", data: { email: `${uid}@e2e.test` }, fields: { role: "Role is required" } },
  ];
  for (const c of cases) {
    const res = await api.post(c.path, { data: c.data });
    expect(res.status(), JSON.stringify(c.data)).toBe(400);
    const body = await res.json();
    expect(body.error).toBe("VALIDATION_FAILED");
    for (const [field, problem] of Object.entries(c.fields)) {
      expect(body.fields[field], `${c.path} ${field}`).toBe(problem);
      expect(body.message).toContain(problem);
    }
  }
  const badJson = await api.post("users", {
    data: Buffer.from("{nope"),
    headers: { "Content-Type": "application/json" },
  });
  expect(badJson.status()).toBe(400);
  expect(await badJson.json()).toMatchObject({ error: "INVALID_JSON" });

  const admin = await memberByEmail(api, ADMIN_EMAIL);
  const patch = await api.patch(`users/${admin!.userId}`, { data: { role: "owner" } });
  expect(patch.status()).toBe(400);
  expect((await patch.json()).fields).toEqual({ role: "Role must be viewer, manager or admin" });
});

test("[users] invite, change the role of and remove a user", async ({ api, uid }) => {
  const email = `${uid}@e2e.test`;
  const invited = await api.post("users", { data: { email: email.toUpperCase(), role: "viewer" } });
  expect(invited.status()).toBe(201);
  const body = await invited.json();
  expect(body).toMatchObject({ email, role: "viewer" });
  expect(Object.keys(body).sort()).toEqual(["email", "invite_url", "role"]);
  expect(new URL(body.invite_url).pathname).toMatch(/^\/invite\/[\w-]{30,}$/);

  const member = await memberByEmail(api, email);
  expect(member).toMatchObject({ role: "viewer", pending: true, name: "" });
  const userId = member!.userId;

  // An active member cannot be invited again; a pending one gets a fresh link that replaces the first.
  const duplicate = await api.post("users", { data: { email: ADMIN_EMAIL, role: "viewer" } });
  expect(duplicate.status()).toBe(409);
  expect(await duplicate.json()).toMatchObject({
    error: "CONFLICT",
    fields: { email: `${ADMIN_EMAIL} is already a member of this org` },
  });
  const relinked = await api.post("users", { data: { email, role: "viewer" } });
  expect(relinked.status()).toBe(201);
  expect((await relinked.json()).invite_url).not.toBe(body.invite_url);

  const patched = await api.patch(`users/${userId}`, { data: { role: "manager" } });
  expect(patched.status()).toBe(200);
  expect(await patched.json()).toEqual({ userId, role: "manager" });
  expect(await memberByEmail(api, email)).toMatchObject({ role: "manager" });

  expect((await api.delete(`users/${userId}`)).status()).toBe(204);
  expect(await memberByEmail(api, email)).toBeUndefined();
  expect((await api.delete(`users/${userId}`)).status()).toBe(404);
  expect((await api.patch(`users/${userId}`, { data: { role: "viewer" } })).status()).toBe(404);
  expect((await api.patch("users/not-a-uuid", { data: { role: "viewer" } })).status()).toBe(404);

  // Re-inviting someone who never set a password issues a fresh link rather than a dead end.
  const again = await api.post("users", { data: { email, role: "viewer" } });
  expect(again.status()).toBe(201);
  const againBody = await again.json();
  expect(againBody.invite_url).toMatch(/\/invite\//);
  expect(againBody.invite_url).not.toBe(body.invite_url);
  expect((await api.delete(`users/${userId}`)).status()).toBe(204);
});

test("[users] the last admin cannot be demoted or removed", async ({ api, uid }) => {
  // Other tests may have left admins behind; demote them so the first admin is the only one.
  for (const m of await members(api)) {
    if (m.role === "admin" && m.email !== ADMIN_EMAIL)
      expect((await api.patch(`users/${m.userId}`, { data: { role: "viewer" } })).status()).toBe(200);
  }
  const admin = await memberByEmail(api, ADMIN_EMAIL);
  expect(admin).toMatchObject({ role: "admin" });

  const demote = await api.patch(`users/${admin!.userId}`, { data: { role: "manager" } });
  expect(demote.status()).toBe(409);
  expect(await demote.json()).toMatchObject({
    error: "CONFLICT",
    message: /at least one admin/,
    fields: { role: "would leave the org without an admin who can sign in" },
  });
  const remove = await api.delete(`users/${admin!.userId}`);
  expect(remove.status()).toBe(409);
  expect(await remove.json()).toMatchObject({ error: "CONFLICT", message: /at least one admin/ });
  expect(await memberByEmail(api, ADMIN_EMAIL)).toMatchObject({ role: "admin" });

  const second = `${uid}-admin@e2e.test`;
  expect((await api.post("users", { data: { email: second, role: "admin" } })).status()).toBe(201);
  const secondId = (await memberByEmail(api, second))!.userId;
  expect((await api.patch(`users/${secondId}`, { data: { role: "viewer" } })).status()).toBe(200);
  expect((await api.delete(`users/${secondId}`)).status()).toBe(204);
});

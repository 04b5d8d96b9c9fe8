import fs from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "../env";
import { expect, test } from "../fixtures";
import {
  acceptInvite,
  adminToken,
  createOrg,
  invite,
  launchChromium,
  sessionClient,
  signIn,
  tokenClient,
} from "../sessions";

type Param = { name: string; in: string; required?: boolean };
type Operation = { operationId: string; parameters?: Param[]; requestBody?: unknown };
type Doc = { paths: Record<string, Record<string, Operation>> };

const methods = ["get", "post", "put", "patch", "delete"] as const;

/** Bodies valid enough to reach the lookup of the id in the path (validation may come first). */
const bodies: Record<string, unknown> = {
  updateRegistry: { enable_ci: true },
  updateCluster: { exclude_namespaces: ["kube-system"] },
  changeUserRole: { role: "viewer" },
  testRegistry: {},
};

/** Operations without {orgId} and what a caller of org B gets from them. */
const orgless: Record<string, Record<"token" | "session", number>> = {
  listOrgs: { token: 200, session: 200 },
  createOrg: { token: 403, session: 403 },
  // The session endpoints hold no org data: a body without email and password is refused, and signing out
  // needs a session cookie (the session of B is not signed out here: it is used after this loop).
  signIn: { token: 400, session: 400 },
  signOut: { token: 401, session: 401 },
};

function fill(path: string, op: Operation, values: Record<string, string>): { url: string; missing: string[] } {
  const missing: string[] = [];
  let url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (values[name] === undefined) missing.push(name);
    return encodeURIComponent(values[name] ?? "");
  });
  const query = new URLSearchParams();
  for (const p of op.parameters ?? []) {
    if (p.in !== "query") continue;
    if (values[p.name] !== undefined) query.set(p.name, values[p.name]!);
    else if (p.required) missing.push(`${p.name} (query)`);
  }
  if ([...query].length > 0) url += `?${query}`;
  return { url, missing };
}

async function call(client: APIRequestContext, method: string, url: string, body: unknown): Promise<number> {
  const res = await client.fetch(url, { method: method.toUpperCase(), ...(body !== undefined ? { data: body } : {}) });
  return res.status();
}

test("[orgs] a token and a session of org B get 404 for every operation of /api/openapi.json on org A's ids", async ({
  request,
  uid,
}) => {
  test.setTimeout(180_000);
  const kubeconfigFile = process.env.KUBECONFIG_ADMIN;
  if (!kubeconfigFile)
    throw new Error("KUBECONFIG_ADMIN is not set: start the peers (scripts/peers/up.sh) and source their env.");
  const browser = await launchChromium();
  const admin = await sessionClient(await signIn(browser, ADMIN_EMAIL, ADMIN_PASSWORD));
  const orgA = `iso-a-${uid}`;
  const orgB = `iso-b-${uid}`;
  await createOrg(admin, orgA);
  await createOrg(admin, orgB);

  // Real objects of org A.
  const a = await tokenClient((await adminToken(admin, orgA, `a-${uid}`)).token);
  const tokenA = await adminToken(admin, orgA, `victim-${uid}`);
  const reg = await a.post(`/api/orgs/${orgA}/registries`, {
    data: {
      id: `reg-${uid}`,
      registry: `iso-${uid}.example.com`,
      type: "basic",
      enable_ci: true,
      creds: { username: "robot", password: "s3cret-iso" },
    },
  });
  expect(reg.status(), await reg.text()).toBe(201);
  const cluster = await a.post(`/api/orgs/${orgA}/clusters`, {
    data: { name: `iso-${uid}`, kubeconfig: fs.readFileSync(kubeconfigFile, "utf8") },
  });
  expect(cluster.status(), await cluster.text()).toBe(201);
  const clusterId: string = (await cluster.json()).id;
  const run = await a.post(`/api/orgs/${orgA}/clusters/${clusterId}/sync`);
  expect(run.status(), await run.text()).toBe(202);
  const memberLink = await invite(admin, orgA, `member-${uid}@e2e.test`, "manager");
  await acceptInvite(browser, memberLink!, "member-password-1");
  const userA = (
    (await (await a.get(`/api/orgs/${orgA}/users`)).json()) as Array<{ userId: string; email: string }>
  ).find((m) => m.email === `member-${uid}@e2e.test`)!.userId;
  const idsOfA: Record<string, string> = {
    regId: `reg-${uid}`,
    clusterId,
    tokenId: tokenA.id,
    userId: userA,
    run: (await run.json()).id,
    image: `iso-${uid}.example.com/app:1`,
  };

  // Callers of org B: an admin token and an admin's session (a user who is a member of B only).
  const bLink = await invite(admin, orgB, `b-admin-${uid}@e2e.test`, "admin");
  const bSession = await sessionClient(await acceptInvite(browser, bLink!, "b-admin-password"));
  const bToken = await tokenClient((await adminToken(bSession, orgB, `b-${uid}`)).token);
  await browser.close();

  const doc: Doc = await (await request.get("/api/openapi.json")).json();
  const problems: string[] = [];
  let checked = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of methods) {
      const op = item[method];
      if (!op) continue;
      if (!path.includes("{orgId}")) {
        const rule = orgless[op.operationId];
        if (!rule) {
          problems.push(`${method} ${path}: no isolation rule for an operation without {orgId}`);
          continue;
        }
        for (const [who, client] of [
          ["token", bToken],
          ["session", bSession],
        ] as const) {
          const headers = op.operationId === "signOut" ? { cookie: "" } : undefined;
          const res = await client.fetch(path, {
            method: method.toUpperCase(),
            headers,
            ...(op.requestBody ? { data: { id: `x-${uid}`, name: "x" } } : {}),
          });
          if (res.status() !== rule[who])
            problems.push(`${method} ${path} as ${who} of B: ${res.status()}, expected ${rule[who]}`);
          if (res.status() === 200 && (await res.text()).includes(orgA))
            problems.push(`${method} ${path} as ${who} of B lists org A`);
        }
        continue;
      }
      const body = op.requestBody ? (bodies[op.operationId] ?? {}) : undefined;
      const idParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((n) => n !== "orgId");
      const targets: Array<[string, string]> = [["org A", fill(path, op, { ...idsOfA, orgId: orgA }).url]];
      const { url, missing } = fill(path, op, { ...idsOfA, orgId: orgA });
      if (missing.length > 0) {
        problems.push(`${method} ${path}: cannot fill ${missing.join(", ")} with an id of org A`);
        continue;
      }
      // The same ids under B's own path: an id of A must not resolve in B either.
      if (idParams.length > 0) {
        if (op.requestBody && !(op.operationId in bodies))
          problems.push(`${method} ${path}: no body for ${op.operationId}`);
        targets.push(["org B", fill(path, op, { ...idsOfA, orgId: orgB }).url]);
      }
      // The filled ids are real: A's own token reads them.
      if (method === "get" && idParams.length > 0) {
        const own = await a.get(url);
        if (own.status() !== 200) problems.push(`GET ${url} as org A: ${own.status()} (the filled ids are not real)`);
      }
      for (const [where, target] of targets) {
        for (const [who, client] of [
          ["token", bToken],
          ["session", bSession],
        ] as const) {
          const status = await call(client, method, target, body);
          checked++;
          if (status !== 404)
            problems.push(`${method.toUpperCase()} ${target} (${where} path) as ${who} of B: ${status}, expected 404`);
        }
      }
    }
  }
  expect(problems).toEqual([]);
  expect(checked).toBeGreaterThan(40);

  // Nothing of A changed.
  expect((await a.get(`/api/orgs/${orgA}/registries/reg-${uid}`)).status()).toBe(200);
  expect((await a.get(`/api/orgs/${orgA}/clusters/${clusterId}`)).status()).toBe(200);
  expect((await (await tokenClient(tokenA.token)).get(`/api/orgs/${orgA}/registries`)).status()).toBe(200);
  const after: Array<{ userId: string; role: string }> = await (await a.get(`/api/orgs/${orgA}/users`)).json();
  expect(after.find((m) => m.userId === userA)).toMatchObject({ role: "manager" });
});

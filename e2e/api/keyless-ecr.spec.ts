import type { APIRequestContext, Browser } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD, ORG } from "../env";
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

const HOST = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const ROLE = "arn:aws:iam::123456789012:role/regcred-pull";
const OTHER_ROLE = "arn:aws:iam::210987654321:role/team/admin-everything";
const REFUSED =
  "Access key ID is required for Amazon ECR: this org may not use the server's AWS identity (an instance admin can allow the server's AWS identity for this org)";

type Entry = { action: string; target: string; actor: string; details: Record<string, unknown> | null };

let browser: Browser;
test.beforeAll(async () => {
  browser = await launchChromium();
});
test.afterAll(async () => {
  await browser.close();
});

/** A fresh org made by the instance admin, with an admin token of that org (tokens are never instance admins). */
async function freshOrg(uid: string): Promise<{ id: string; admin: APIRequestContext; token: APIRequestContext }> {
  const admin = await sessionClient(await signIn(browser, ADMIN_EMAIL, ADMIN_PASSWORD));
  const id = `kl-${uid}`;
  await createOrg(admin, id);
  const { token } = await adminToken(admin, id, `kl-${uid}`);
  return { id, admin, token: await tokenClient(token) };
}

async function auditOf(client: APIRequestContext, org: string, action: string, target: string): Promise<Entry[]> {
  const res = await client.get(`/api/orgs/${org}/audit?action=${action}&target=${target}`);
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

test("[keyless-ecr] an org may use the server's AWS identity only once an instance admin allows it; others get 403", async ({
  uid,
}) => {
  const { id, admin, token } = await freshOrg(uid);
  const details = await token.get(`/api/orgs/${id}`);
  expect(details.status()).toBe(200);
  const org = await details.json();
  expect(org).toEqual({
    id,
    name: id,
    aws_external_id: expect.stringMatching(/^regcred-[0-9a-f]{32}$/),
    aws_default_chain: false,
  });

  // amazon_ecr without creds: refused, naming creds.username; Humanitec's body with creds stays valid as it is.
  const keyless = { id: "keyless", registry: HOST, type: "amazon_ecr", enable_ci: false };
  const refused = await token.post(`/api/orgs/${id}/registries`, { data: keyless });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).fields).toEqual({
    "creds.username": REFUSED,
    "creds.password": "Secret access key is required for Amazon ECR",
  });
  const humanitec = await token.post(`/api/orgs/${id}/registries`, {
    data: {
      id: "with-keys",
      registry: "123456789012.dkr.ecr.ca-central-1.amazonaws.com",
      type: "amazon_ecr",
      enable_ci: false,
      creds: { username: "AKIAIOSFODNN7EXAMPLE", password: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    },
  });
  expect(humanitec.status(), await humanitec.text()).toBe(201);
  expect(await humanitec.json()).toMatchObject({ aws_role_arn: null, aws_use_external_id: false });

  // The org's own admin token, and an org admin who is not an instance admin, cannot allow it.
  const byToken = await token.patch(`/api/orgs/${id}`, { data: { aws_default_chain: true } });
  expect(byToken.status()).toBe(403);
  const link = await invite(admin, id, `kl-boss-${uid}@e2e.test`, "admin");
  const boss = await sessionClient(await acceptInvite(browser, link!, "boss-password-123"));
  const byOrgAdmin = await boss.patch(`/api/orgs/${id}`, { data: { aws_default_chain: true } });
  expect(byOrgAdmin.status()).toBe(403);
  expect(await byOrgAdmin.json()).toMatchObject({ error: "FORBIDDEN", message: /instance admin/ });
  const bad = await admin.patch(`/api/orgs/${id}`, { data: { aws_default_chain: "yes" } });
  expect(bad.status()).toBe(400);
  expect(Object.keys((await bad.json()).fields)).toEqual(["aws_default_chain"]);

  const allowed = await admin.patch(`/api/orgs/${id}`, { data: { aws_default_chain: true } });
  expect(allowed.status(), await allowed.text()).toBe(200);
  expect(await allowed.json()).toMatchObject({ id, aws_default_chain: true, aws_external_id: org.aws_external_id });
  const [entry] = await auditOf(token, id, "org.aws_default_chain", id);
  expect(entry).toMatchObject({ actor: `${ADMIN_EMAIL} (instance admin)`, details: { from: false, to: true } });

  const created = await token.post(`/api/orgs/${id}/registries`, { data: keyless });
  expect(created.status(), await created.text()).toBe(201);
  expect(await created.json()).toMatchObject({ id: "keyless", aws_role_arn: null, aws_use_external_id: false });
  // Attack: assume a role with the server's shared identity and no external ID (another org's role may trust that
  // identity). Refused, naming the field; with the org's external ID it is accepted.
  const role = "arn:aws:iam::123456789012:role/another-orgs-pull";
  const deputy = await token.post(`/api/orgs/${id}/registries`, {
    data: { ...keyless, id: "deputy", registry: keyless.registry.replace(/^\d/, "9"), aws_role_arn: role },
  });
  expect(deputy.status(), await deputy.text()).toBe(400);
  expect((await deputy.json()).fields).toEqual({
    aws_use_external_id: expect.stringMatching(/must be on to assume a role with the server's AWS identity/),
  });
  // This server has no AWS identity of its own: the check says so, at step aws, as a result.
  const tested = await token.post(`/api/orgs/${id}/registries/keyless/test`);
  expect(tested.status()).toBe(200);
  expect(await tested.json()).toMatchObject({
    status: "invalid",
    failedStep: "aws",
    summary: expect.stringMatching(/the server has no AWS credentials of its own/),
  });
});

test("[keyless-ecr] role ARN and external ID: validated, ECR only, and shown back", async ({ api, uid }) => {
  const base = {
    id: `role-${uid}`,
    registry: `1${Date.now().toString().slice(-11)}.dkr.ecr.eu-west-1.amazonaws.com`,
    type: "amazon_ecr",
  };
  const creds = { username: "AKIAIOSFODNN7EXAMPLE", password: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
  const badArn = await api.post("registries", { data: { ...base, creds, aws_role_arn: "arn:aws:iam::1234:user/bob" } });
  expect(badArn.status()).toBe(400);
  expect((await badArn.json()).fields).toEqual({
    aws_role_arn: "Role ARN (aws_role_arn) must be an IAM role ARN such as arn:aws:iam::123456789012:role/regcred-pull",
  });
  const extNoRole = await api.post("registries", { data: { ...base, creds, aws_use_external_id: true } });
  expect(extNoRole.status()).toBe(400);
  expect((await extNoRole.json()).fields).toEqual({
    aws_use_external_id:
      "Use external ID (aws_use_external_id) needs a role to assume: set aws_role_arn, or turn it off",
  });
  const notEcr = await api.post("registries", {
    data: {
      id: `basic-${uid}`,
      registry: `${uid}.example.com`,
      type: "basic",
      creds,
      aws_role_arn: ROLE,
      aws_use_external_id: true,
    },
  });
  expect(notEcr.status()).toBe(400);
  expect((await notEcr.json()).fields).toEqual({
    aws_role_arn: "Role ARN (aws_role_arn) only applies to Amazon ECR",
    aws_use_external_id: "Use external ID (aws_use_external_id) only applies to Amazon ECR",
  });
  const ok = await api.post("registries", { data: { ...base, creds, aws_role_arn: ROLE, aws_use_external_id: true } });
  expect(ok.status(), await ok.text()).toBe(201);
  expect(await ok.json()).toMatchObject({ aws_role_arn: ROLE, aws_use_external_id: true });
  const listed = (await (await api.get("registries")).json()) as Array<Record<string, unknown>>;
  expect(listed.find((r) => r.id === base.id)).toMatchObject({ aws_role_arn: ROLE, aws_use_external_id: true });
  // STS is out of reach from this server: the test names the sts step, and no secret comes back.
  const tested = await api.post(`registries/${base.id}/test`);
  const result = await tested.json();
  expect(result).toMatchObject({
    failedStep: "sts",
    summary: expect.stringMatching(/^sts: AssumeRole arn:aws:iam::123456789012:role\/regcred-pull failed/),
  });
  expect(JSON.stringify(result)).not.toContain(creds.password);
  const org = await (await api.get(`/api/orgs/${ORG}`)).json();
  expect(org.aws_external_id).toMatch(/^regcred-[0-9a-f]{32}$/);
});

test("[keyless-ecr] attack: a manager points a keyless registry at another role; refused without re-confirmation, audited when confirmed", async ({
  uid,
}) => {
  const { id, admin, token } = await freshOrg(uid);
  expect((await admin.patch(`/api/orgs/${id}`, { data: { aws_default_chain: true } })).status()).toBe(200);
  const link = await invite(admin, id, `kl-mgr-${uid}@e2e.test`, "manager");
  const manager = await sessionClient(await acceptInvite(browser, link!, "manager-password-1"));
  const created = await token.post(`/api/orgs/${id}/registries`, {
    data: { id: "pull", registry: HOST, type: "amazon_ecr", aws_role_arn: ROLE, aws_use_external_id: true },
  });
  expect(created.status(), await created.text()).toBe(201);

  const sneaky = await manager.patch(`/api/orgs/${id}/registries/pull`, { data: { aws_role_arn: OTHER_ROLE } });
  expect(sneaky.status()).toBe(400);
  const fields = (await sneaky.json()).fields;
  expect(Object.keys(fields)).toEqual(["aws_role_arn"]);
  expect(fields.aws_role_arn).toMatch(
    /role ARN changed: tokens would be minted as another AWS identity than role arn:aws:iam::123456789012:role\/regcred-pull\. Confirm it \(aws_confirm_identity: true\)/,
  );
  const still = await (await manager.get(`/api/orgs/${id}/registries/pull`)).json();
  expect(still.aws_role_arn).toBe(ROLE);
  const extOnly = await manager.patch(`/api/orgs/${id}/registries/pull`, { data: { aws_use_external_id: false } });
  expect(extOnly.status()).toBe(400);
  expect(Object.keys((await extOnly.json()).fields)).toEqual(["aws_use_external_id"]);

  const confirmed = await manager.patch(`/api/orgs/${id}/registries/pull`, {
    data: { aws_role_arn: OTHER_ROLE, aws_confirm_identity: true },
  });
  expect(confirmed.status(), await confirmed.text()).toBe(200);
  expect(await confirmed.json()).toMatchObject({ aws_role_arn: OTHER_ROLE });
  const [entry] = await auditOf(token, id, "registry.update", "pull");
  expect(entry).toMatchObject({
    actor: `kl-mgr-${uid}@e2e.test`,
    details: {
      destinationChanged: "aws_role_arn",
      roleArnFrom: ROLE,
      roleArnTo: OTHER_ROLE,
      identityConfirmed: true,
      keyless: true,
    },
  });

  // A registry with stored keys: a new role needs the keys typed again, as for a new host.
  const keyed = await token.post(`/api/orgs/${id}/registries`, {
    data: {
      id: "keyed",
      registry: "123456789012.dkr.ecr.us-east-2.amazonaws.com",
      type: "amazon_ecr",
      creds: { username: "AKIAIOSFODNN7EXAMPLE", password: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    },
  });
  expect(keyed.status()).toBe(201);
  const moved = await manager.patch(`/api/orgs/${id}/registries/keyed`, {
    data: { aws_role_arn: OTHER_ROLE, aws_confirm_identity: true },
  });
  expect(moved.status()).toBe(400);
  expect(Object.keys((await moved.json()).fields).sort()).toEqual(["creds.password", "creds.username"]);
  expect((await moved.json()).fields["creds.password"]).toMatch(/the role ARN changed/);
  // A viewer cannot change anything.
  const viewerLink = await invite(admin, id, `kl-viewer-${uid}@e2e.test`, "viewer");
  const viewer = await sessionClient(await acceptInvite(browser, viewerLink!, "viewer-password-1"));
  const byViewer = await viewer.patch(`/api/orgs/${id}/registries/pull`, {
    data: { aws_role_arn: ROLE, aws_confirm_identity: true },
  });
  expect(byViewer.status()).toBe(403);
  expect((await viewer.get(`/api/orgs/${id}`)).status()).toBe(200);
});

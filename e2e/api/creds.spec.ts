import { setupEcrIdentities } from "../../test/peers";
import { BASE_URL, ORG } from "../env";
import { expect, test } from "../fixtures";

const gcrKey = (uid: string) =>
  JSON.stringify({
    type: "service_account",
    client_email: `ci@${uid}.iam.gserviceaccount.com`,
    private_key: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n",
  });

test.describe("[creds] CI credentials", () => {
  test("[creds] every registry type answers with what CI needs", async ({ api, uid }) => {
    const keys = (await setupEcrIdentities(process.env.MOTO_URL!)).ecrUser;
    const cases = [
      {
        body: {
          id: `b-${uid}`,
          registry: `b-${uid}.example.com`,
          type: "basic",
          creds: { username: "ci-user", password: "ci-pass" },
        },
        want: { username: "ci-user", password: "ci-pass" },
      },
      {
        body: {
          id: `a-${uid}`,
          registry: `a${uid}.azurecr.io`,
          type: "azure_acr",
          creds: { username: "sp-id", password: "sp-secret" },
        },
        want: { username: "sp-id", password: "sp-secret" },
      },
      {
        body: {
          id: `g-${uid}`,
          registry: `europe-docker.pkg.dev/p-${uid}`,
          type: "google_gcr",
          creds: { password: gcrKey(uid) },
        },
        want: { username: "_json_key", password: gcrKey(uid) },
      },
      {
        body: {
          id: `s-${uid}`,
          registry: `s-${uid}.example.com/team`,
          type: "secret_ref",
          secrets: { "*": { namespace: "platform", secret: "pull" } },
        },
        want: { secrets: { "*": { namespace: "platform", secret: "pull" } } },
      },
      { body: { id: `p-${uid}`, registry: `p-${uid}.example.com`, type: "public" }, want: {} },
    ];
    for (const { body, want } of cases) {
      expect((await api.post("registries", { data: { ...body, enable_ci: true } })).status(), body.type).toBe(201);
      const res = await api.get(`registries/${body.id}/creds`);
      expect(res.status(), body.type).toBe(200);
      expect(await res.json()).toEqual({ registry: body.registry, ...want });
    }
    const ecrHost = `${String(Date.now()).slice(-12)}.dkr.ecr.us-east-1.amazonaws.com`;
    await api.post("registries", {
      data: {
        id: `e-${uid}`,
        registry: ecrHost,
        type: "amazon_ecr",
        enable_ci: true,
        creds: { username: keys.accessKeyId, password: keys.secretAccessKey },
      },
    });
    const ecr = await (await api.get(`registries/e-${uid}/creds`)).json();
    expect(ecr).toMatchObject({ registry: ecrHost, username: "AWS" });
    expect(ecr.password.length).toBeGreaterThan(10);
    expect(ecr.password).not.toBe(keys.secretAccessKey);
    expect(ecr.expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
  });

  test("[creds] enable_ci false answers 403 saying so", async ({ api, uid }) => {
    await api.post("registries", {
      data: {
        id: `off-${uid}`,
        registry: `off-${uid}.example.com`,
        type: "basic",
        creds: { username: "u", password: "p" },
      },
    });
    const res = await api.get(`registries/off-${uid}/creds`);
    expect(res.status()).toBe(403);
    expect((await res.json()).message).toMatch(/enable_ci/);
    expect((await api.get(`registries/missing-${uid}/creds`)).status()).toBe(404);
  });

  test("[creds] only admins and ci-scoped tokens read them, and every read is audited", async ({
    api,
    playwright,
    uid,
  }) => {
    await api.post("registries", {
      data: {
        id: `ci-${uid}`,
        registry: `ci-${uid}.example.com`,
        type: "basic",
        enable_ci: true,
        creds: { username: "u", password: "p" },
      },
    });
    const mint = async (role: string, ci: boolean) =>
      (await (await api.post("tokens", { data: { name: `${role}-${ci}-${uid}`, role, ci } })).json()).token as string;
    const as = (token: string) =>
      playwright.request.newContext({
        baseURL: `${BASE_URL}/api/orgs/${ORG}/`,
        extraHTTPHeaders: { Authorization: `Bearer ${token}` },
      });
    const ciViewer = await as(await mint("viewer", true));
    const plainManager = await as(await mint("manager", false));
    expect((await ciViewer.get(`registries/ci-${uid}/creds`)).status()).toBe(200);
    const denied = await plainManager.get(`registries/ci-${uid}/creds`);
    expect(denied.status()).toBe(403);
    expect((await denied.json()).message).toMatch(/ci scope/);
    const audit = await (await api.get("audit?action=registry.creds.read")).json();
    const reads = audit.filter((e: { target: string }) => e.target === `ci-${uid}`);
    expect(reads.map((e: { actor: string }) => e.actor)).toContain(`token:viewer-true-${uid}`);
    expect(reads[0].created_at).toMatch(/Z$/);
    expect(JSON.stringify(audit)).not.toContain('"p"');
    await ciViewer.dispose();
    await plainManager.dispose();
  });
});

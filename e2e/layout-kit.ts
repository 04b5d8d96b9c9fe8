import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { type APIRequestContext, expect, type Locator, type Page } from "@playwright/test";

export const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
export const schemes = ["light", "dark"] as const;

/** Every page route under app/, read from the folders that hold a page.tsx: "/", "/login", "/invite/[token]"… */
export function appRoutes(appDir = path.join(process.cwd(), "app")): string[] {
  const routes: string[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile() && /^page\.(tsx|ts|jsx|js|mdx)$/.test(entry.name)) routes.push(`/${segments.join("/")}`);
      if (!entry.isDirectory() || entry.name.startsWith("_") || entry.name.startsWith("@")) continue;
      if (segments.length === 0 && entry.name === "api") continue;
      // Route groups "(name)" add nothing to the path.
      walk(path.join(dir, entry.name), /^\(.*\)$/.test(entry.name) ? segments : [...segments, entry.name]);
    }
  };
  walk(appDir, []);
  return routes.sort();
}

/** Fills the dynamic segments ("[token]") of a route; throws for a segment the test has no data for. */
export function fillRoute(route: string, values: Record<string, string>): string {
  return route.replace(/\[{1,2}\.{0,3}([^\]]+)\]{1,2}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no test data for the segment [${name}] of ${route}: add it to the spec`);
    return encodeURIComponent(value);
  });
}

/** axe over the page (or one part of it): every violation, of any impact, as readable lines. */
export async function axeViolations(page: Page, what: string, include?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  return violations.map(
    (v) => `${what}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}

export function documentWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** The box is fully inside the viewport and nothing in it scrolls sideways. */
export async function expectInsideViewport(page: Page, box: Locator, what: string): Promise<void> {
  const rect = (await box.boundingBox())!;
  const viewport = page.viewportSize()!;
  expect(rect.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(rect.y, `${what}: top edge`).toBeGreaterThanOrEqual(0);
  expect(rect.x + rect.width, `${what}: right edge`).toBeLessThanOrEqual(viewport.width);
  expect(rect.y + rect.height, `${what}: bottom edge`).toBeLessThanOrEqual(viewport.height);
  const overflow = await box.evaluate((el) =>
    [el, ...el.querySelectorAll("*")]
      // Text fields scroll their own text by design; visually hidden elements have no box to overflow.
      .filter((e) => !e.matches("input, textarea, select, .sr-only"))
      .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible")
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${e.scrollWidth}>${e.clientWidth}`),
  );
  expect(overflow, `${what}: boxes that scroll sideways`).toEqual([]);
}

/** WCAG contrast ratio of an element's text colour against its own background colour. */
export function contrastOf(el: Element): number {
  const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  const luminance = ([r, g, b]: number[]) => {
    const lin = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
  };
  const style = getComputedStyle(el);
  const [a, b] = [luminance(parse(style.color)), luminance(parse(style.backgroundColor))].sort((x, y) => y - x);
  return (a! + 0.05) / (b! + 0.05);
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

export type Seeded = {
  uid: string;
  cluster: string;
  registries: string[];
  namespace: string;
  token: string;
  inviteToken: string;
  invitedEmail: string;
};

/** Registries of every type, a cluster on the test kube-apiserver with regcred secrets, a token and an invite. */
export async function seedOrg(api: APIRequestContext, uid: string): Promise<Seeded> {
  const file = process.env.KUBECONFIG_ADMIN;
  if (!file) throw new Error("KUBECONFIG_ADMIN is not set: source the env file of scripts/peers/up.sh.");
  const kubeconfig = fs.readFileSync(file, "utf8");
  const cluster = `lay-${uid}`;
  const ok = async (res: Promise<{ status(): number; text(): Promise<string> }>, status = 201) => {
    const r = await res;
    expect(r.status(), await r.text()).toBe(status);
  };
  await ok(api.post("clusters", { data: { name: cluster, kubeconfig } }));
  const account = String(Date.now()).slice(-12).padStart(12, "1");
  const registries: Array<Record<string, unknown>> = [
    {
      id: `hub-${uid}`,
      registry: `registry-${uid}.example.com/team`,
      type: "basic",
      creds: { username: "robot", password: "pw" },
    },
    {
      id: `ecr-${uid}`,
      registry: `${account}.dkr.ecr.eu-west-1.amazonaws.com`,
      type: "amazon_ecr",
      creds: { username: "AKIAEXAMPLE", password: "secret" },
    },
    {
      id: `gcr-${uid}`,
      registry: `europe-docker.pkg.dev/proj-${uid}`,
      type: "google_gcr",
      creds: {
        username: "_json_key",
        password: JSON.stringify({
          type: "service_account",
          client_email: `pull@proj-${uid}.iam.gserviceaccount.com`,
          private_key: "-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----\n",
        }),
      },
    },
    {
      id: `acr-${uid}`,
      registry: `acr${uid}.azurecr.io`,
      type: "azure_acr",
      creds: { username: "app-id", password: "secret" },
    },
    { id: `pub-${uid}`, registry: `ghcr.io/pub-${uid}`, type: "public" },
    {
      id: `glob-${uid}`,
      registry: `*.mirror-${uid}.example.com`,
      type: "basic",
      creds: { username: "robot", password: "pw" },
    },
    {
      id: `ref-${uid}`,
      registry: `ref-${uid}.example.com`,
      type: "secret_ref",
      secrets: { "*": { namespace: "shared", secret: "pull" } },
    },
  ];
  for (const data of registries) await ok(api.post("registries", { data }));

  const kc = new KubeConfig();
  kc.loadFromFile(file);
  const core = kc.makeApiClient(CoreV1Api);
  const namespace = `lay-${uid}`;
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  const expires = (ms: number) =>
    new Date(Date.now() + ms)
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z")
      .replace(/[-:]/g, "");
  const put = (registry: string, host: string, inMs: number | null) =>
    core.createNamespacedSecret({
      namespace,
      body: {
        metadata: {
          name: `regcred-${registry}`,
          labels:
            inMs === null
              ? {}
              : {
                  "app.kubernetes.io/managed-by": "regcred",
                  "regcred.dev/registry": registry,
                  "regcred.dev/expires": expires(inMs),
                },
        },
        type: "kubernetes.io/dockerconfigjson",
        data: {
          ".dockerconfigjson": b64(JSON.stringify({ auths: { [host]: { auth: b64("robot:not-shown") } } })),
        },
      },
    });
  await put(`hub-${uid}`, `registry-${uid}.example.com`, 30 * 86_400_000);
  await put(`ecr-${uid}`, `${account}.dkr.ecr.eu-west-1.amazonaws.com`, 3 * 3_600_000);
  await put(`gone-${uid}`, `gone-${uid}.example.com`, 86_400_000);
  await put(`old-${uid}`, `old-${uid}.example.com`, -3_600_000);
  await put(`manual-${uid}`, `manual-${uid}.example.com`, null);
  await core.createNamespacedServiceAccount({
    namespace,
    body: { metadata: { name: "builder" }, imagePullSecrets: [{ name: `regcred-hub-${uid}` }] },
  });
  await seedWorkloads(kc, namespace, uid);

  const token = `ci-${uid}`;
  await ok(api.post("tokens", { data: { name: token, role: "viewer" } }));
  const invitedEmail = `invited-${uid}@e2e.test`;
  const invite = await api.post("users", { data: { email: invitedEmail, role: "viewer" } });
  expect(invite.status(), await invite.text()).toBe(201);
  const inviteToken = String((await invite.json()).invite_url).split("/invite/")[1]!;
  return {
    uid,
    cluster,
    registries: registries.map((r) => String(r.id)),
    namespace,
    token,
    inviteToken,
    invitedEmail,
  };
}

/** What the Readiness screen explains: a Deployment with two images, and a bare Pod stuck in ImagePullBackOff. */
async function seedWorkloads(kc: KubeConfig, namespace: string, uid: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const image = (name: string) => `registry-${uid}.example.com/team/${name}:1.0`;
  await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name: "web" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: {
            serviceAccountName: "builder",
            containers: [
              { name: "web", image: image("web") },
              { name: "sidecar", image: `ghcr.io/pub-${uid}/sidecar:2` },
            ],
          },
        },
      },
    },
  });
  const pod = await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: "stuck" },
      spec: { serviceAccountName: "builder", containers: [{ name: "job", image: image("job") }] },
    },
  });
  // No kubelet here: the status a kubelet would report, written through the status subresource.
  pod.status = {
    phase: "Pending",
    containerStatuses: [
      {
        name: "job",
        image: image("job"),
        imageID: "",
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: "ImagePullBackOff", message: "Back-off pulling image" } },
      },
    ],
  };
  await core.replaceNamespacedPodStatus({ namespace, name: "stuck", body: pod });
}

export async function cleanOrg(api: APIRequestContext, seeded: Seeded): Promise<void> {
  for (const id of seeded.registries) await api.delete(`registries/${id}`);
  await api.delete(`clusters/${seeded.cluster}`);
  const tokens = (await (await api.get("tokens")).json()) as Array<{ id: string; name: string }>;
  for (const t of tokens.filter((t) => t.name.includes(seeded.uid))) await api.delete(`tokens/${t.id}`);
  const users = (await (await api.get("users")).json()) as Array<{ userId: string; email: string }>;
  for (const u of users.filter((u) => u.email.includes(seeded.uid))) await api.delete(`users/${u.userId}`);
}

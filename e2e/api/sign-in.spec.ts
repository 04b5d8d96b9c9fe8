import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type APIResponse, expect, request, test } from "@playwright/test";
import { freePort } from "../../test/peers/process";

const ORG = "signin-org";
const ADMIN = { email: "admin@sign-in.test", password: "sign-in-admin-password-123" };

// The form test drives Debian's Chromium, as the ui project does; the rest of this file needs no browser.
test.use({
  browserName: "chromium",
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu"],
  },
});

type Server = { url: string; dataDir: string; stop: () => Promise<void> };

/** Starts the built app on its own data dir; `overrides` are the only REGCRED_* settings it sees. */
async function startServer(overrides: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-sign-in-"));
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("REGCRED_") && k !== "DATABASE_URL"),
  ) as NodeJS.ProcessEnv;
  let out = "";
  const child: ChildProcess = spawn(
    path.join("node_modules", ".bin", "next"),
    ["start", "-p", String(port), "-H", "127.0.0.1"],
    {
      env: {
        ...inherited,
        REGCRED_DATA_DIR: dataDir,
        REGCRED_DEFAULT_ORG: ORG,
        REGCRED_ADMIN_EMAIL: ADMIN.email,
        REGCRED_ADMIN_PASSWORD: ADMIN.password,
        REGCRED_CONTROLLER: "off",
        ...overrides,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout!.on("data", (d) => (out += String(d)));
  child.stderr!.on("data", (d) => (out += String(d)));
  const exited = new Promise((r) => child.on("exit", r));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (
      await fetch(`${url}/login`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 240 || child.exitCode !== null) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    dataDir,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

type Answer = { status: number; headers: Record<string, string>; body: unknown };

async function signIn(
  url: string,
  body: { email: string; password: string },
  headers: Record<string, string> = {},
): Promise<Answer> {
  const ctx = await request.newContext();
  try {
    const res: APIResponse = await ctx.post(`${url}/api/session`, { data: body, headers });
    const text = await res.text();
    return { status: res.status(), headers: res.headers(), body: text ? (JSON.parse(text) as unknown) : null };
  } finally {
    await ctx.dispose();
  }
}

const wrong = (email: string) => ({ email, password: "not-the-password" });
const unique = (tag: string) => `${tag}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}@sign-in.test`;

test.describe("[sign-in] at production values", () => {
  let server: Server;
  test.beforeAll(async () => {
    server = await startServer({});
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test("[sign-in] the account limit answers 429 with Retry-After; the right password then waits too, and the stored hash records ln=17", async () => {
    const ok = await signIn(server.url, ADMIN);
    expect(ok.status).toBe(204);
    expect(ok.headers["set-cookie"]).toMatch(/^regcred_session=[^;]+;.*HttpOnly/i);

    for (let i = 0; i < 10; i++) expect((await signIn(server.url, wrong(ADMIN.email))).status).toBe(401);
    const limited = await signIn(server.url, wrong(ADMIN.email));
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(limited.body).toMatchObject({
      error: "RATE_LIMITED",
      message: expect.stringMatching(/^Too many sign-in attempts; try again in \d+ minutes?\.$/),
    });
    expect((await signIn(server.url, ADMIN)).status).toBe(429);

    await server.stop();
    const db = new PGlite(path.join(server.dataDir, "pglite"));
    const { rows } = await db.query<{ password_hash: string }>("select password_hash from users where email = $1", [
      ADMIN.email,
    ]);
    await db.close();
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$ln=17,r=8,p=1\$/);
  });
});

test.describe("[sign-in] the form, on a server that trusts no proxy", () => {
  let server: Server;
  test.beforeAll(async () => {
    server = await startServer({ REGCRED_PASSWORD_SCRYPT_LOG_N: "10", REGCRED_SIGNIN_ACCOUNT_ATTEMPTS: "3" });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test("[sign-in] the form says how long to wait once an account is limited", async ({ page }) => {
    const email = unique("form");
    const alert = page.locator("form").getByRole("alert");
    await page.goto(`${server.url}/login`);
    for (let i = 0; i < 3; i++) {
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(`wrong-${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(alert).toHaveText("Wrong email or password.");
      await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    }
    await page.getByLabel("Password").fill("wrong-again");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(alert).toHaveText(/^Too many sign-in attempts; try again in \d+ minutes?\.$/);
  });

  test("[sign-in] X-Forwarded-Proto: https from an untrusted peer does not make the cookie Secure", async () => {
    const res = await signIn(server.url, ADMIN, { "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.99" });
    expect(res.status).toBe(204);
    expect(res.headers["set-cookie"]).toMatch(/^regcred_session=/);
    expect(res.headers["set-cookie"]).not.toMatch(/;\s*Secure/i);
  });
});

test.describe("[sign-in] a client that is not a trusted proxy", () => {
  let server: Server;
  test.beforeAll(async () => {
    server = await startServer({ REGCRED_PASSWORD_SCRYPT_LOG_N: "10", REGCRED_SIGNIN_CLIENT_ATTEMPTS: "3" });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test("[sign-in] a spoofed X-Forwarded-For from an untrusted peer does not escape the per-client limit", async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++)
      statuses.push(
        (await signIn(server.url, wrong(unique("spoof")), { "X-Forwarded-For": `198.51.100.${i}` })).status,
      );
    expect(statuses).toContain(429);
  });
});

test.describe("[sign-in] behind a trusted proxy on 127.0.0.1", () => {
  let server: Server;
  test.beforeAll(async () => {
    server = await startServer({
      REGCRED_PASSWORD_SCRYPT_LOG_N: "10",
      REGCRED_SIGNIN_CLIENT_ATTEMPTS: "3",
      REGCRED_TRUSTED_PROXIES: "127.0.0.1/32, ::1",
    });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test("[sign-in] the per-client limit counts per forwarded address, the right-most one a client cannot forge", async () => {
    const from = (forwarded: string) => ({ "X-Forwarded-For": forwarded });
    for (let i = 1; i <= 3; i++)
      expect((await signIn(server.url, wrong(unique("fwd")), from(`203.0.113.${i}, 198.51.100.7`))).status).toBe(401);
    expect((await signIn(server.url, wrong(unique("fwd")), from("203.0.113.4, 198.51.100.7"))).status).toBe(429);
    expect((await signIn(server.url, wrong(unique("fwd")), from("198.51.100.8"))).status).toBe(401);
  });

  test("[sign-in] X-Forwarded-Proto: https from a trusted proxy makes the cookie Secure; plain http does not", async () => {
    const https = await signIn(server.url, ADMIN, { "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.20" });
    expect(https.status).toBe(204);
    expect(https.headers["set-cookie"]).toMatch(/;\s*Secure/i);
    const http = await signIn(server.url, ADMIN, { "X-Forwarded-Proto": "http", "X-Forwarded-For": "198.51.100.21" });
    expect(http.status).toBe(204);
    expect(http.headers["set-cookie"]).not.toMatch(/;\s*Secure/i);
  });

  test("[sign-in] the sign-in form behind a trusted proxy that says https sets a Secure cookie", async ({ page }) => {
    await page.setExtraHTTPHeaders({ "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.40" });
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    const [action] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
    expect(await action.headerValue("set-cookie")).toMatch(/^regcred_session=[^;]+;.*;\s*Secure/i);
  });

  test("[sign-in] the cookie from POST /api/session works, and DELETE /api/session signs out only when sent as same-origin JSON", async () => {
    const ctx = await request.newContext({
      baseURL: server.url,
      extraHTTPHeaders: { "X-Forwarded-For": "198.51.100.30" },
    });
    try {
      expect((await ctx.post("/api/session", { data: ADMIN })).status()).toBe(204);
      expect((await ctx.get(`/api/orgs/${ORG}/registries`)).status()).toBe(200);
      expect((await ctx.delete("/api/session")).status()).toBe(403);
      expect(
        (
          await ctx.delete("/api/session", {
            headers: { "Content-Type": "application/json", Origin: "http://evil.example" },
          })
        ).status(),
      ).toBe(403);
      expect((await ctx.get(`/api/orgs/${ORG}/registries`)).status()).toBe(200);
      expect(
        (
          await ctx.delete("/api/session", { headers: { "Content-Type": "application/json", Origin: server.url } })
        ).status(),
      ).toBe(204);
      expect((await ctx.get(`/api/orgs/${ORG}/registries`)).status()).toBe(401);
    } finally {
      await ctx.dispose();
    }
  });
});

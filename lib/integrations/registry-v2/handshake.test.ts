import type { IncomingMessage, ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPki, type TestPki } from "@/test/peers/pki";
import { checkV2Access, type V2Outcome } from "./handshake";

// A scripted registry over real TLS: the protocol edge cases the real registry cannot be made to produce.
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let pki: TestPki;
let server: https.Server;
let host: string;
let handler: Handler;
const seen: string[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  server = https.createServer({ cert: pki.server.cert, key: pki.server.key }, (req, res) => {
    seen.push(`${req.url} ${req.headers.authorization?.split(" ")[0] ?? "-"}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await pki.remove();
});

const creds = { username: "alice", password: "pw-canary-123" };
// The scripted registry listens on 127.0.0.1, which the production policy refuses.
const egress = { allowLoopback: true, deny: [] };
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};
const bearer = () => ({
  "www-authenticate": `Bearer realm="https://${host}/token",service="svc",scope="repository:a/b:pull"`,
});

async function run(h: Handler, withCreds = true): Promise<V2Outcome> {
  handler = h;
  seen.length = 0;
  const out = await checkV2Access(host, withCreds ? creds : null, { timeoutMs: 2000, ca: pki.ca.cert, egress });
  expect(JSON.stringify(out)).not.toContain("pw-canary-123");
  return out;
}

describe("checkV2Access protocol edge cases", () => {
  it("/v2/ answering 404 is not a registry", async () => {
    const r = await run((_q, s) => json(s, 404, {}));
    expect(r).toMatchObject({ status: "unreachable", failedStep: "http" });
    expect(r.steps.at(-1)).toMatchObject({ step: "http", ok: false, detail: "GET /v2/ answered 404" });
  });

  it("401 without a challenge is unsupported", async () => {
    const r = await run((_q, s) => json(s, 401, {}));
    expect(r).toMatchObject({
      status: "unsupported",
      failedStep: "challenge",
      summary: `challenge: https://${host}/v2/ answered 401 with no WWW-Authenticate challenge`,
    });
  });

  it("a Bearer challenge without a usable realm is unsupported", async () => {
    const r = await run((_q, s) => json(s, 401, {}, { "www-authenticate": 'Bearer realm="ftp://x/token"' }));
    expect(r).toMatchObject({ status: "unsupported", failedStep: "challenge" });
  });

  it("forwards service and scope, authenticates with Basic, then uses the Bearer token; expires_in is raised to 60", async () => {
    let tokenQuery = "";
    const r = await run((q, s) => {
      if (q.url?.startsWith("/token")) {
        tokenQuery = q.url;
        return json(s, 200, { access_token: "tok-1", expires_in: 5 });
      }
      if (q.headers.authorization === "Bearer tok-1") return json(s, 200, {});
      json(s, 401, {}, bearer());
    });
    expect(r).toMatchObject({ status: "valid", failedStep: null });
    expect(new URL(tokenQuery, "https://x").searchParams.toString()).toBe(
      "service=svc&scope=repository%3Aa%2Fb%3Apull&account=alice",
    );
    expect(seen.map((s) => s.replace(/\?.*? /, " "))).toEqual(["/v2/ -", "/token Basic", "/v2/ Bearer"]);
    expect(r.steps.find((s) => s.step === "token")?.detail).toContain("valid 60 s");
  });

  it.each([
    [
      "token endpoint 500",
      (s: ServerResponse) => json(s, 500, {}),
      "unreachable",
      "token: token endpoint answered 500",
    ],
    [
      "200 without a token",
      (s: ServerResponse) => json(s, 200, { nope: 1 }),
      "unreachable",
      "token: token endpoint answered 200 without a token or access_token",
    ],
    [
      "not JSON",
      (s: ServerResponse) => s.end("<html>"),
      "unreachable",
      "token: token endpoint answered 200 without a token or access_token",
    ],
    ["403", (s: ServerResponse) => json(s, 403, {}), "invalid", "token endpoint"],
  ] as const)("token endpoint: %s", async (_name, answer, status, summary) => {
    const r = await run((q, s) => (q.url?.startsWith("/token") ? answer(s) : json(s, 401, {}, bearer())));
    expect(r).toMatchObject({ status, failedStep: "token" });
    expect(r.summary.startsWith(summary)).toBe(true);
  });

  it("a token the registry then rejects is invalid at auth", async () => {
    const r = await run((q, s) =>
      q.url?.startsWith("/token") ? json(s, 200, { token: "t" }) : json(s, 401, {}, bearer()),
    );
    expect(r).toMatchObject({ status: "invalid", failedStep: "auth" });
  });

  it("a token endpoint that refuses connections is unreachable at token", async () => {
    const r = await run((_q, s) =>
      json(s, 401, {}, { "www-authenticate": 'Bearer realm="https://127.0.0.1:1/token"' }),
    );
    expect(r).toMatchObject({ status: "unreachable", failedStep: "token" });
    expect(r.summary).toBe(
      "token: connect failed for the token endpoint https://127.0.0.1:1/token: connection refused to 127.0.0.1:1",
    );
  });

  it("a token realm over plain http is refused at token without a request to it", async () => {
    const r = await run((_q, s) =>
      json(s, 401, {}, { "www-authenticate": `Bearer realm="http://${host}/token",service="svc"` }),
    );
    expect(r).toMatchObject({ status: "unsupported", failedStep: "token" });
    expect(r.summary).toBe(
      `token: the registry names the token realm http://${host}/token, which is not https: Regcred sends credentials to a token realm only over https`,
    );
    expect(seen).toEqual(["/v2/ -"]);
  });

  it("the egress policy applies to the token realm: a refused realm is a result at token", async () => {
    const r = await run((_q, s) =>
      json(s, 401, {}, { "www-authenticate": 'Bearer realm="https://169.254.169.254/token"' }),
    );
    expect(r).toMatchObject({ status: "unreachable", failedStep: "token" });
    expect(r.summary).toBe(
      "token: the egress policy refuses the token endpoint https://169.254.169.254/token: 169.254.169.254 is a cloud metadata address, always refused",
    );
    expect(seen).toEqual(["/v2/ -"]);
  });

  it("the production policy refuses the loopback registry itself, before connecting", async () => {
    handler = (_q, s) => json(s, 200, {});
    seen.length = 0;
    const r = await checkV2Access(host, creds, {
      timeoutMs: 2000,
      ca: pki.ca.cert,
      egress: { allowLoopback: false, deny: [] },
    });
    expect(r).toMatchObject({
      status: "unreachable",
      failedStep: "policy",
      summary: "policy: 127.0.0.1 is a loopback address, refused unless REGCRED_EGRESS_ALLOW_LOOPBACK=true",
    });
    expect(r.steps.map((s) => `${s.step}:${s.ok}`)).toEqual(["dns:true", "policy:false"]);
    expect(seen).toEqual([]);
  });

  it("anonymous 200 with credentials is valid but proves nothing about them", async () => {
    const r = await run((_q, s) => json(s, 200, {}));
    expect(r).toMatchObject({ status: "valid", proven: null });
    expect(r.summary).toContain("not tested");
  });

  it("Basic 403 after credentials is invalid; a 500 is an http failure", async () => {
    const basic = { "www-authenticate": 'Basic realm="r"' };
    const r403 = await run((q, s) => json(s, q.headers.authorization ? 403 : 401, {}, basic));
    expect(r403).toMatchObject({ status: "invalid", failedStep: "auth" });
    const r500 = await run((q, s) => json(s, q.headers.authorization ? 500 : 401, {}, basic));
    expect(r500).toMatchObject({ status: "unreachable", failedStep: "http" });
  });

  it("a slow answer times out in the http step", async () => {
    handler = () => {};
    const r = await checkV2Access(host, null, { timeoutMs: 200, ca: pki.ca.cert, egress });
    expect(r).toMatchObject({
      status: "unreachable",
      failedStep: "http",
      summary: `http: no HTTP response from ${host} within 200 ms`,
    });
  });
});

import { randomUUID, sign, X509Certificate } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

export type TokenServerOptions = {
  users: Record<string, string>;
  signer: { key: string; chain: string[] };
  issuer: string;
  service: string;
  /** no Authorization header → an anonymous token (as Docker Hub does); a wrong one is always 401 */
  allowAnonymous?: boolean;
  /** serve https with this certificate; Regcred sends credentials only to https realms */
  tls?: { cert: string; key: string };
  /**
   * The actions granted to `user` ("" when anonymous) for one asked-for access entry; default: all that is asked.
   * As distribution's and Docker Hub's token servers do, a refused scope still gets a token, with fewer rights.
   */
  grants?: (user: string, access: Access) => string[];
};

export type TokenServer = { realm: string; issued: () => number; refused: () => number; stop: () => Promise<void> };

export type Access = { type: string; name: string; actions: string[] };

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

/** "repository:team/app:pull,push" → access entries (the registry's own scope grammar). */
function parseScopes(scopes: string[]): Access[] {
  return scopes
    .flatMap((s) => s.split(" "))
    .filter(Boolean)
    .flatMap((s) => {
      const parts = s.split(":");
      if (parts.length < 3) return [];
      const actions = parts.pop()!.split(",").filter(Boolean);
      const [type, ...name] = parts;
      return [{ type: type!, name: name.join(":"), actions }];
    });
}

/** RS256 JWT with an x5c chain and a string aud, which distribution 2.8's token auth requires. */
export function signRegistryToken(
  opts: TokenServerOptions,
  subject: string,
  access: Access[],
  ttlSeconds = 300,
): string {
  const now = Math.floor(Date.now() / 1000);
  const x5c = opts.signer.chain.map((pem) => new X509Certificate(pem).raw.toString("base64"));
  const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", x5c }));
  const claims = b64url(
    JSON.stringify({
      iss: opts.issuer,
      sub: subject,
      aud: opts.service,
      exp: now + ttlSeconds,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    }),
  );
  const signature = sign("RSA-SHA256", Buffer.from(`${header}.${claims}`), opts.signer.key);
  return `${header}.${claims}.${b64url(signature)}`;
}

function basicUser(header: string | undefined): { user: string; password: string } | null | "malformed" {
  if (!header) return null;
  const m = /^Basic\s+(\S+)$/i.exec(header);
  if (!m) return "malformed";
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const i = decoded.indexOf(":");
  return i < 0 ? "malformed" : { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

/** A tiny token endpoint on 127.0.0.1 (https with `tls`, else plain HTTP): checks Basic credentials, grants what the scope asks (or what `grants` allows of it). */
export async function startTokenServer(opts: TokenServerOptions): Promise<TokenServer> {
  let issued = 0;
  let refused = 0;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== "/token") return reply(404, { errors: [{ code: "NOT_FOUND" }] });
    if (url.searchParams.get("service") !== opts.service)
      return reply(400, { errors: [{ code: "UNSUPPORTED", message: "unknown service" }] });
    const who = basicUser(req.headers.authorization);
    const ok =
      who === null ? opts.allowAnonymous === true : who !== "malformed" && opts.users[who.user] === who.password;
    if (!ok) {
      refused += 1;
      res.setHeader("www-authenticate", 'Basic realm="regcred-test-token"');
      return reply(401, { errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] });
    }
    issued += 1;
    const subject = who && who !== "malformed" ? who.user : "";
    const asked = parseScopes(url.searchParams.getAll("scope"));
    const granted = opts.grants
      ? asked.map((a) => ({ ...a, actions: opts.grants!(subject, a).filter((x) => a.actions.includes(x)) }))
      : asked;
    const token = signRegistryToken(opts, subject, granted);
    reply(200, { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() });
  };
  const server = opts.tls
    ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    realm: `${opts.tls ? "https" : "http"}://127.0.0.1:${port}/token`,
    issued: () => issued,
    refused: () => refused,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Asks a token endpoint for a token with Basic credentials, over a CA of the test's own (Node's fetch would not trust it). */
export function requestRegistryToken(
  realm: string,
  opts: { service: string; ca: string; user: string; password: string; scopes: string[] },
): Promise<string> {
  const url = new URL(realm);
  url.searchParams.set("service", opts.service);
  for (const s of opts.scopes) url.searchParams.append("scope", s);
  const authorization = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString("base64")}`;
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: opts.ca, headers: { authorization } }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString("utf8")));
        res.once("end", () => {
          const token = (JSON.parse(body) as { token?: string }).token;
          if (token) resolve(token);
          else reject(new Error(`the token endpoint answered ${res.statusCode}: ${body.slice(0, 200)}`));
        });
      })
      .once("error", reject);
  });
}

import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export type HandedOut = { password: string; expiresAt: Date };

export type EcrTokenProxy = {
  url: string;
  /** GetAuthorizationToken answers moto accepted and this proxy rewrote: the mints, counted here. */
  mints: () => number;
  /** Every token handed out, oldest first (the password of `AWS:<password>`). */
  handedOut: () => HandedOut[];
  /** While true, every request is answered 503 ServiceUnavailableException (an ECR outage). */
  down: boolean;
  /** The clock the expiry counts from (a test that injects a clock into Regcred sets the same one here). */
  now: () => Date;
  close: () => Promise<void>;
};

const GET_TOKEN = "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken";
const TWELVE_HOURS = 12 * 3_600_000;

/**
 * A proxy in front of moto. moto checks the signature and IAM policy of every call, but its
 * GetAuthorizationToken always returns the same token with an expiry in 2015: this proxy replaces the token
 * with a new one and the expiry with now() + 12 h on every successful answer. `onToken` runs before the
 * answer leaves (e.g. to let a registry accept the new token).
 */
export async function startEcrTokenProxy(opts: {
  target: string;
  onToken?: (token: HandedOut) => void | Promise<void>;
}): Promise<EcrTokenProxy> {
  const handedOut: HandedOut[] = [];
  const state = { down: false, now: () => new Date() };
  const server = http.createServer((req, res) => {
    if (state.down) {
      res
        .writeHead(503, { "content-type": "application/x-amz-json-1.1" })
        .end(JSON.stringify({ __type: "ServiceUnavailableException", message: "down for the test" }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const upstream = http.request(`${opts.target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
        const body: Buffer[] = [];
        up.on("data", (c: Buffer) => body.push(c));
        up.on("end", () => answer(up, Buffer.concat(body)).catch(() => res.destroy()));
      });
      upstream.on("error", () => res.destroy());
      upstream.end(Buffer.concat(chunks));
    });
    const answer = async (up: http.IncomingMessage, body: Buffer) => {
      const headers = { ...up.headers };
      if (req.headers["x-amz-target"] === GET_TOKEN && up.statusCode === 200) {
        const parsed = JSON.parse(body.toString("utf8")) as {
          authorizationData: Array<{ authorizationToken: string; expiresAt: number }>;
        };
        const token: HandedOut = {
          password: `proxy-token-${handedOut.length + 1}-${randomBytes(16).toString("hex")}`,
          // Whole seconds, so the expiry label (which has seconds) names it exactly.
          expiresAt: new Date(Math.floor((state.now().getTime() + TWELVE_HOURS) / 1000) * 1000),
        };
        for (const data of parsed.authorizationData) {
          data.authorizationToken = Buffer.from(`AWS:${token.password}`).toString("base64");
          data.expiresAt = token.expiresAt.getTime() / 1000;
        }
        await opts.onToken?.(token);
        handedOut.push(token);
        body = Buffer.from(JSON.stringify(parsed));
        delete headers["x-amz-crc32"];
      }
      delete headers["transfer-encoding"];
      headers["content-length"] = String(body.length);
      res.writeHead(up.statusCode ?? 502, headers).end(body);
    };
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mints: () => handedOut.length,
    handedOut: () => [...handedOut],
    get down() {
      return state.down;
    },
    set down(v: boolean) {
      state.down = v;
    },
    get now() {
      return state.now;
    },
    set now(fn: () => Date) {
      state.now = fn;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

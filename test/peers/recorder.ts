import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";

export type Recorded = { method: string; path: string; authorization: string | null; host: string | null };
export type RecorderReply = { status: number; headers?: Record<string, string>; body?: unknown };

export type Recorder = {
  /** "127.0.0.1:<port>" */
  host: string;
  port: number;
  /** "https://127.0.0.1:<port>" or "http://…" */
  url: string;
  /** every request received, in order */
  requests: () => Recorded[];
  /** TCP connections accepted, whether or not a request followed */
  connections: () => number;
  /** every Authorization header received, decoded when Basic ("Basic user:password") */
  credentials: () => string[];
  reset: () => void;
  stop: () => Promise<void>;
};

export type RecorderOptions = {
  /** serve TLS with this certificate (e.g. TestPki.server); plain HTTP without it */
  tls?: { cert: string; key: string };
  /** 127.0.0.1 unless given (any 127.0.0.0/8 address works on Linux) */
  address?: string;
  /** a free one unless given (the same port on another 127.0.0.0/8 address, say) */
  port?: number;
  /** the answer to each request; by default 401 with a Basic challenge, like a registry's /v2/ */
  reply?: (req: Recorded) => RecorderReply;
};

const basicChallenge: RecorderReply = {
  status: 401,
  headers: { "www-authenticate": 'Basic realm="recorder"' },
  body: { errors: [{ code: "UNAUTHORIZED" }] },
};

function decode(authorization: string): string {
  const m = /^Basic\s+(\S+)$/i.exec(authorization);
  return m ? `Basic ${Buffer.from(m[1]!, "base64").toString("utf8")}` : authorization;
}

/** A registry stand-in on 127.0.0.1 that records what it receives (credentials included), for attacks on where secrets go. */
export async function startRecorder(opts: RecorderOptions = {}): Promise<Recorder> {
  let requests: Recorded[] = [];
  let connections = 0;
  const sockets = new Set<Socket>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const seen: Recorded = {
      method: req.method ?? "",
      path: req.url ?? "",
      authorization: req.headers.authorization ?? null,
      host: req.headers.host ?? null,
    };
    requests.push(seen);
    const answer = opts.reply?.(seen) ?? basicChallenge;
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(JSON.stringify(answer.body ?? {}));
  };
  const server = opts.tls
    ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, handler)
    : http.createServer(handler);
  // Counted on the TCP listener, so a refused TLS handshake still shows that a connection was made.
  server.on("connection", (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.address ?? "127.0.0.1", resolve);
  });
  const { port, address } = server.address() as AddressInfo;
  const host = `${address}:${port}`;
  return {
    host,
    port,
    url: `${opts.tls ? "https" : "http"}://${host}`,
    requests: () => [...requests],
    connections: () => connections,
    credentials: () => requests.flatMap((r) => (r.authorization ? [decode(r.authorization)] : [])),
    reset: () => {
      requests = [];
      connections = 0;
    },
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

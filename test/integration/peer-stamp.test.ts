import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPeerStamp, PEER_HEADER, peerFromHeader } from "@/lib/net/peer";

let server: http.Server;
let port: number;

beforeAll(async () => {
  installPeerStamp();
  server = http.createServer((req, res) =>
    res.end(JSON.stringify(peerFromHeader((req.headers[PEER_HEADER] as string | undefined) ?? null))),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("the peer stamp", () => {
  it("records the socket's address, replacing whatever the client sent under that header", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`, {
      headers: { [PEER_HEADER]: "forged 203.0.113.9 https", "X-Forwarded-For": "203.0.113.9" },
    });
    expect(await res.json()).toEqual({ address: "127.0.0.1", https: false });
  });

  it.each([null, "", "forged 203.0.113.9 https", "203.0.113.9"])(
    "a value %j not stamped by this process is no peer",
    (value) => {
      expect(peerFromHeader(value)).toBeNull();
    },
  );
});

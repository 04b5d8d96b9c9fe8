import "server-only";
import { randomBytes } from "node:crypto";
import diagnostics from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { env } from "../env";
import { type Cidr, parseCidrList } from "./cidr";
import { type Client, type Peer, resolveClient } from "./client";

/**
 * Next.js gives route handlers and server actions no socket address: it only fills `X-Forwarded-For`
 * with it when the client sent none. So Node's `http.server.request.start` channel stamps every request
 * with the direct peer before Next sees it, in a header a client cannot forge (it carries a per-process nonce).
 */
export const PEER_HEADER = "x-regcred-peer";

const store = globalThis as unknown as { regcredPeerNonce?: string };

type RequestStart = { request: IncomingMessage; socket: Socket };

function stamp({ request, socket }: RequestStart): void {
  const encrypted = (socket as Partial<TLSSocket>).encrypted === true;
  request.headers[PEER_HEADER] =
    `${store.regcredPeerNonce} ${socket.remoteAddress ?? "unknown"} ${encrypted ? "https" : "http"}`;
}

/** Subscribes once per process; requests accepted before this ran have no stamp and count as an unknown peer. */
export function installPeerStamp(): void {
  if (store.regcredPeerNonce) return;
  store.regcredPeerNonce = randomBytes(18).toString("base64url");
  diagnostics.subscribe("http.server.request.start", (message) => stamp(message as RequestStart));
}

/** The direct peer from the stamp, or null when the request carries none from this process. */
export function peerFromHeader(value: string | null): Peer | null {
  const nonce = store.regcredPeerNonce;
  if (!nonce || !value) return null;
  const [got, address, scheme] = value.split(" ");
  if (got !== nonce || !address) return null;
  return { address, https: scheme === "https" };
}

let trusted: Cidr[] | undefined;

/** The client of a request (route handler: `req.headers`; server action: `await headers()`). */
export function clientOf(headers: { get(name: string): string | null }): Client {
  trusted ??= parseCidrList(env().REGCRED_TRUSTED_PROXIES);
  return resolveClient(headers, peerFromHeader(headers.get(PEER_HEADER)), trusted);
}

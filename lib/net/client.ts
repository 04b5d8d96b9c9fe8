import ipaddr from "ipaddr.js";
import { type Cidr, inCidrs, parseAddress } from "./cidr";

export type Peer = { address: string; https: boolean };
export type Client = {
  /** The client's address: the peer's, or the right-most address a trusted proxy forwarded. */
  address: string;
  /** Whether the client's connection was HTTPS (the peer's socket, or a trusted proxy's X-Forwarded-Proto). */
  https: boolean;
  /** The host the client addressed (Host, or a trusted proxy's X-Forwarded-Host). */
  host: string | null;
};

type HeaderSource = { get(name: string): string | null };

const first = (value: string | null) => value?.split(",")[0]?.trim().toLowerCase() || null;

/** Walks X-Forwarded-For from the right past trusted proxies; the first other hop is the client. */
function forwardedClient(header: string | null, trusted: Cidr[]): string | null {
  const hops = (header ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!inCidrs(hops[i]!, trusted)) return hops[i]!.slice(0, 64);
  }
  return hops[0]?.slice(0, 64) ?? null;
}

/**
 * Who sent the request. Forwarded headers count only when the direct peer is a trusted proxy;
 * an unknown peer (no stamp) is one shared "unknown" client on plain HTTP.
 */
export function resolveClient(headers: HeaderSource, peer: Peer | null, trusted: Cidr[]): Client {
  const host = headers.get("host");
  if (!peer) return { address: "unknown", https: false, host };
  if (!inCidrs(peer.address, trusted)) return { address: peer.address, https: peer.https, host };
  const proto = first(headers.get("x-forwarded-proto"));
  return {
    address: forwardedClient(headers.get("x-forwarded-for"), trusted) ?? peer.address,
    https: proto ? proto === "https" : peer.https,
    host: first(headers.get("x-forwarded-host")) ?? host,
  };
}

/** The key a client is limited under: an IPv4 address, an IPv6 /64 (one host's usual allocation), or the text as is. */
export function clientKey(address: string): string {
  const addr = parseAddress(address);
  if (!addr) return address;
  if (addr.kind() === "ipv4") return addr.toString();
  const parts = (addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(":")}::/64`;
}

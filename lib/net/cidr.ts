import ipaddr from "ipaddr.js";

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses "10.0.0.0/8, fd00::/8, 192.0.2.1" (a bare address is a /32 or /128); throws naming the bad entry. */
export function parseCidrList(text: string | undefined): Cidr[] {
  if (!text?.trim()) return [];
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      try {
        if (entry.includes("/")) return ipaddr.parseCIDR(entry);
        const addr = ipaddr.parse(entry);
        return [addr, addr.kind() === "ipv4" ? 32 : 128] as Cidr;
      } catch (err) {
        throw new Error(`"${entry}" is not an IP address or CIDR range`, { cause: err });
      }
    });
}

export type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** An IP address in any form ipaddr.js reads, an IPv4-mapped IPv6 address as its IPv4 address; null when not one. */
export function parseAddress(text: string): Address | null {
  if (!ipaddr.isValid(text)) return null;
  const addr = ipaddr.parse(text);
  return addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()
    ? (addr as ipaddr.IPv6).toIPv4Address()
    : addr;
}

export function inCidr(addr: Address, [range, bits]: Cidr): boolean {
  return addr.kind() === range.kind() && addr.match(range, bits);
}

/** Whether an address (IPv4-mapped IPv6 is treated as IPv4) lies in any of the ranges. */
export function inCidrs(address: string, cidrs: Cidr[]): boolean {
  const addr = parseAddress(address);
  return addr !== null && cidrs.some((c) => inCidr(addr, c));
}

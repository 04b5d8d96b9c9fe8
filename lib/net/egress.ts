import ipaddr from "ipaddr.js";
import { type Address, type Cidr, inCidr, parseAddress } from "./cidr";

/** Where outbound checks may connect: REGCRED_EGRESS_ALLOW_LOOPBACK and REGCRED_EGRESS_DENY_CIDRS. */
export type EgressPolicy = { allowLoopback: boolean; deny: Cidr[] };

export type EgressDecision = { ok: true; address: string } | { ok: false; address: string; reason: string };

/** A target that passed: connect to exactly this address. */
export type EgressTarget =
  { ok: true; address: string; family: 4 | 6; refused: EgressDecision[] } | { ok: false; detail: string };

const range = (cidr: string): Cidr => ipaddr.parseCIDR(cidr);

// Checked in order: the first match names the reason. Metadata before link-local, so the reason is the more telling one.
const alwaysRefused: Array<{ what: string; ranges: Cidr[] }> = [
  {
    what: "a cloud metadata address",
    ranges: ["169.254.169.254/32", "fd00:ec2::254/128", "100.100.100.200/32"].map(range),
  },
  { what: "link-local (169.254.0.0/16, fe80::/10)", ranges: ["169.254.0.0/16", "fe80::/10"].map(range) },
  { what: "an unspecified address (0.0.0.0/8, ::)", ranges: ["0.0.0.0/8", "::/128"].map(range) },
  { what: "a multicast address", ranges: ["224.0.0.0/4", "ff00::/8"].map(range) },
  { what: "the broadcast address", ranges: ["255.255.255.255/32"].map(range) },
];
const loopback: Cidr[] = ["127.0.0.0/8", "::1/128"].map(range);

// IPv6 forms that carry an IPv4 address a gateway or the kernel may deliver to: mapped, SIIT, NAT64, 6to4.
const embedsIpv4: Array<{ prefix: Cidr; at: number }> = [
  { prefix: range("::ffff:0:0/96"), at: 12 },
  { prefix: range("::ffff:0:0:0/96"), at: 12 },
  { prefix: range("64:ff9b::/96"), at: 12 },
  { prefix: range("2002::/16"), at: 2 },
];

function embeddedIpv4(addr: Address): ipaddr.IPv4 | null {
  if (addr.kind() !== "ipv6") return null;
  const bytes = addr.toByteArray();
  const hit = embedsIpv4.find((e) => inCidr(addr, e.prefix));
  return hit ? new ipaddr.IPv4(bytes.slice(hit.at, hit.at + 4)) : null;
}

function reasonFor(addr: Address, policy: EgressPolicy): string | null {
  const always = alwaysRefused.find((r) => r.ranges.some((c) => inCidr(addr, c)));
  if (always) return `is ${always.what}, always refused`;
  if (!policy.allowLoopback && loopback.some((c) => inCidr(addr, c)))
    return "is a loopback address, refused unless REGCRED_EGRESS_ALLOW_LOOPBACK=true";
  const denied = policy.deny.find((c) => inCidr(addr, c));
  if (denied) return `is in REGCRED_EGRESS_DENY_CIDRS (${denied[0].toString()}/${denied[1]}), refused`;
  return null;
}

/** Parses an address in any form ipaddr.js reads; an IPv4-mapped IPv6 address becomes its IPv4 address. */
export function normalizeAddress(text: string): string | null {
  return parseAddress(text.replace(/^\[(.*)\]$/, "$1"))?.toString() ?? null;
}

/** Whether a check may connect to one address (never a name). Pure; the policy comes from the caller. */
export function decideEgress(address: string, policy: EgressPolicy): EgressDecision {
  const normal = normalizeAddress(address);
  if (!normal) return { ok: false, address, reason: "is not an IP address" };
  const addr = ipaddr.parse(normal);
  const own = reasonFor(addr, policy);
  if (own) return { ok: false, address: normal, reason: `${normal} ${own}` };
  const inner = embeddedIpv4(addr);
  const carried = inner ? reasonFor(inner, policy) : null;
  if (inner && carried)
    return { ok: false, address: normal, reason: `${normal} carries ${inner.toString()}, which ${carried}` };
  return { ok: true, address: normal };
}

/**
 * The first of `addresses` (what `host` resolved to, in order) the policy allows, or why none is.
 * `host` equal to the only address means the host was an IP address already.
 */
export function chooseEgressTarget(host: string, addresses: readonly string[], policy: EgressPolicy): EgressTarget {
  const decisions = addresses.map((a) => decideEgress(a, policy));
  const passed = decisions.find((d) => d.ok);
  if (passed)
    return {
      ok: true,
      address: passed.address,
      family: ipaddr.parse(passed.address).kind() === "ipv4" ? 4 : 6,
      refused: decisions.filter((d) => !d.ok),
    };
  const reasons = decisions.map((d) => (d.ok ? "" : d.reason)).join("; ");
  if (decisions.length === 0) return { ok: false, detail: `${host} resolved to no address` };
  if (decisions.length === 1 && normalizeAddress(host) === decisions[0]!.address) return { ok: false, detail: reasons };
  return { ok: false, detail: `${host} resolved only to refused addresses: ${reasons}` };
}

import { describe, expect, it } from "vitest";
import { parseCidrList } from "./cidr";
import { chooseEgressTarget, decideEgress, type EgressPolicy, normalizeAddress } from "./egress";

// Decisions only: nothing here opens a connection.
const production: EgressPolicy = { allowLoopback: false, deny: [] };
const testing: EgressPolicy = { allowLoopback: true, deny: [] };
const strict: EgressPolicy = {
  allowLoopback: false,
  deny: parseCidrList("10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7"),
};

const loopbackReason = "is a loopback address, refused unless REGCRED_EGRESS_ALLOW_LOOPBACK=true";

describe("decideEgress", () => {
  it.each<[string, string, EgressPolicy, string | null]>([
    // always refused, whatever the policy says
    [
      "metadata (AWS, GCP, Azure)",
      "169.254.169.254",
      testing,
      "169.254.169.254 is a cloud metadata address, always refused",
    ],
    ["metadata (AWS IPv6)", "fd00:ec2::254", testing, "fd00:ec2::254 is a cloud metadata address, always refused"],
    ["metadata (Alibaba)", "100.100.100.200", testing, "100.100.100.200 is a cloud metadata address, always refused"],
    [
      "link-local IPv4",
      "169.254.10.1",
      testing,
      "169.254.10.1 is link-local (169.254.0.0/16, fe80::/10), always refused",
    ],
    ["link-local IPv6", "fe80::1", testing, "fe80::1 is link-local (169.254.0.0/16, fe80::/10), always refused"],
    [
      "link-local IPv6, upper end of fe80::/10",
      "febf::1",
      testing,
      "febf::1 is link-local (169.254.0.0/16, fe80::/10), always refused",
    ],
    ["unspecified IPv4", "0.0.0.0", testing, "0.0.0.0 is an unspecified address (0.0.0.0/8, ::), always refused"],
    ["this network 0/8", "0.1.2.3", testing, "0.1.2.3 is an unspecified address (0.0.0.0/8, ::), always refused"],
    ["unspecified IPv6", "::", testing, ":: is an unspecified address (0.0.0.0/8, ::), always refused"],
    ["multicast IPv4", "224.0.0.251", testing, "224.0.0.251 is a multicast address, always refused"],
    [
      "multicast IPv4, top of 224/4",
      "239.255.255.250",
      testing,
      "239.255.255.250 is a multicast address, always refused",
    ],
    ["multicast IPv6", "ff02::fb", testing, "ff02::fb is a multicast address, always refused"],
    ["broadcast", "255.255.255.255", testing, "255.255.255.255 is the broadcast address, always refused"],
    // loopback: only when allowed
    ["loopback", "127.0.0.1", production, `127.0.0.1 ${loopbackReason}`],
    ["loopback, anywhere in 127/8", "127.255.0.9", production, `127.255.0.9 ${loopbackReason}`],
    ["loopback IPv6", "::1", production, `::1 ${loopbackReason}`],
    ["loopback when allowed", "127.0.0.1", testing, null],
    ["loopback IPv6 when allowed", "::1", testing, null],
    // IPv4 inside IPv6
    [
      "IPv4-mapped metadata",
      "::ffff:169.254.169.254",
      testing,
      "169.254.169.254 is a cloud metadata address, always refused",
    ],
    [
      "IPv4-mapped, hex form",
      "::ffff:a9fe:a9fe",
      testing,
      "169.254.169.254 is a cloud metadata address, always refused",
    ],
    ["IPv4-mapped loopback", "::ffff:127.0.0.1", production, `127.0.0.1 ${loopbackReason}`],
    [
      "NAT64 of metadata",
      "64:ff9b::a9fe:a9fe",
      testing,
      "64:ff9b::a9fe:a9fe carries 169.254.169.254, which is a cloud metadata address, always refused",
    ],
    ["6to4 of loopback", "2002:7f00:1::1", production, `2002:7f00:1::1 carries 127.0.0.1, which ${loopbackReason}`],
    ["NAT64 of a public address", "64:ff9b::808:808", production, null],
    // private ranges: allowed by default, refusable by the deny-list
    ["private 10/8", "10.1.2.3", production, null],
    ["private 172.16/12", "172.31.255.1", production, null],
    ["private 192.168/16", "192.168.1.1", production, null],
    ["unique local IPv6", "fd12:3456::1", production, null],
    ["CGNAT (not Alibaba's metadata)", "100.100.100.201", production, null],
    ["denied 10/8", "10.1.2.3", strict, "10.1.2.3 is in REGCRED_EGRESS_DENY_CIDRS (10.0.0.0/8), refused"],
    [
      "denied 192.168/16",
      "192.168.1.1",
      strict,
      "192.168.1.1 is in REGCRED_EGRESS_DENY_CIDRS (192.168.0.0/16), refused",
    ],
    ["denied fc00::/7", "fd12:3456::1", strict, "fd12:3456::1 is in REGCRED_EGRESS_DENY_CIDRS (fc00::/7), refused"],
    [
      "denied, IPv4-mapped",
      "::ffff:10.0.0.1",
      strict,
      "10.0.0.1 is in REGCRED_EGRESS_DENY_CIDRS (10.0.0.0/8), refused",
    ],
    [
      "denied, NAT64",
      "64:ff9b::a00:1",
      strict,
      "64:ff9b::a00:1 carries 10.0.0.1, which is in REGCRED_EGRESS_DENY_CIDRS (10.0.0.0/8), refused",
    ],
    ["the deny-list does not reach 11/8", "11.0.0.1", strict, null],
    // public
    ["public IPv4", "93.184.216.34", production, null],
    ["public IPv6", "2606:2800:220:1:248:1893:25c8:1946", production, null],
    ["public IPv4, strict", "8.8.8.8", strict, null],
    // not an address
    ["a name", "registry.example.com", testing, "is not an IP address"],
    ["empty", "", testing, "is not an IP address"],
  ])("%s: %s", (_name, address, policy, reason) => {
    const d = decideEgress(address, policy);
    expect(d.ok ? null : d.reason).toBe(reason);
  });
});

describe("normalizeAddress", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["[::1]", "::1"],
    ["::ffff:7f00:1", "127.0.0.1"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["FE80::1", "fe80::1"],
    ["not-an-ip", null],
  ])("%s → %s", (text, want) => expect(normalizeAddress(text)).toBe(want));
});

describe("chooseEgressTarget", () => {
  it("takes the first address that passes and reports the refused ones", () => {
    const t = chooseEgressTarget("registry.internal", ["169.254.169.254", "10.0.0.5", "10.0.0.6"], production);
    expect(t).toEqual({
      ok: true,
      address: "10.0.0.5",
      family: 4,
      refused: [
        {
          ok: false,
          address: "169.254.169.254",
          reason: "169.254.169.254 is a cloud metadata address, always refused",
        },
      ],
    });
  });

  it("IPv6 first when it passes", () => {
    expect(chooseEgressTarget("dual.example", ["2606:4700::1", "93.184.216.34"], production)).toMatchObject({
      ok: true,
      address: "2606:4700::1",
      family: 6,
    });
  });

  it("refuses when every address is refused, naming each", () => {
    expect(chooseEgressTarget("localhost", ["127.0.0.1", "::1"], production)).toEqual({
      ok: false,
      detail: `localhost resolved only to refused addresses: 127.0.0.1 ${loopbackReason}; ::1 ${loopbackReason}`,
    });
  });

  it("an IP address host gets the reason alone", () => {
    expect(chooseEgressTarget("127.0.0.1", ["127.0.0.1"], production)).toEqual({
      ok: false,
      detail: `127.0.0.1 ${loopbackReason}`,
    });
    expect(chooseEgressTarget("::ffff:127.0.0.1", ["::ffff:127.0.0.1"], production)).toEqual({
      ok: false,
      detail: `127.0.0.1 ${loopbackReason}`,
    });
  });

  it("no address at all", () => {
    expect(chooseEgressTarget("empty.example", [], production)).toEqual({
      ok: false,
      detail: "empty.example resolved to no address",
    });
  });
});

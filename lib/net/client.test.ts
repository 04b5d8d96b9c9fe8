import { describe, expect, it } from "vitest";
import { parseCidrList } from "./cidr";
import { clientKey, resolveClient } from "./client";

const headers = (h: Record<string, string>) => new Headers(h);
const trusted = parseCidrList("127.0.0.1, 10.0.0.0/8");

describe("resolveClient", () => {
  it.each([
    [
      "untrusted peer: forwarded headers ignored",
      { address: "192.0.2.5", https: false },
      { "x-forwarded-for": "198.51.100.1", "x-forwarded-proto": "https", host: "a.test" },
      { address: "192.0.2.5", https: false, host: "a.test" },
    ],
    [
      "untrusted TLS peer",
      { address: "192.0.2.5", https: true },
      {},
      { address: "192.0.2.5", https: true, host: null },
    ],
    [
      "trusted proxy: right-most untrusted hop",
      { address: "127.0.0.1", https: false },
      { "x-forwarded-for": "1.1.1.1, 198.51.100.7, 10.1.2.3", "x-forwarded-proto": "https" },
      { address: "198.51.100.7", https: true, host: null },
    ],
    [
      "trusted proxy, plain http",
      { address: "10.0.0.9", https: false },
      { "x-forwarded-for": "198.51.100.7", "x-forwarded-proto": "http" },
      { address: "198.51.100.7", https: false, host: null },
    ],
    [
      "trusted proxy without headers",
      { address: "127.0.0.1", https: false },
      {},
      { address: "127.0.0.1", https: false, host: null },
    ],
    [
      "trusted proxy, every hop trusted",
      { address: "127.0.0.1", https: false },
      { "x-forwarded-for": "10.0.0.1, 10.0.0.2" },
      { address: "10.0.0.1", https: false, host: null },
    ],
    [
      "trusted proxy's forwarded host",
      { address: "127.0.0.1", https: false },
      { host: "inner:3000", "x-forwarded-host": "regcred.example.com" },
      { address: "127.0.0.1", https: false, host: "regcred.example.com" },
    ],
    [
      "IPv4-mapped trusted peer",
      { address: "::ffff:127.0.0.1", https: false },
      { "x-forwarded-for": "198.51.100.9" },
      { address: "198.51.100.9", https: false, host: null },
    ],
  ])("%s", (_name, peer, h, expected) => {
    expect(resolveClient(headers(h), peer, trusted)).toEqual(expected);
  });

  it("an unknown peer is one shared client on plain HTTP, whatever it forwards", () => {
    expect(
      resolveClient(headers({ "x-forwarded-for": "198.51.100.1", "x-forwarded-proto": "https" }), null, trusted),
    ).toEqual({ address: "unknown", https: false, host: null });
  });
});

describe("clientKey", () => {
  it.each([
    ["198.51.100.7", "198.51.100.7"],
    ["::ffff:198.51.100.7", "198.51.100.7"],
    ["2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"],
    ["2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"],
    ["unknown", "unknown"],
  ])("%s → %s", (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeBase64Utf8, encodeBase64Utf8, hashSecretContent, sha256Hex } from "./content";

const vectors: Array<[string, string]> = [
  ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  [
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  ],
];

const lengths = [1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 70_000];

describe("sha256Hex", () => {
  it.each(vectors)("hashes %j", (input, expected) => {
    expect(sha256Hex(input)).toBe(expected);
  });

  it.each(lengths)("agrees with node:crypto at %i bytes around block boundaries", (length) => {
    const text = "ü€😀x".repeat(length).slice(0, length);
    expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
  });
});

describe("base64", () => {
  it.each(["", "plain", '{"auths":{}}', "ünï:pa:ss 😀"])("round-trips %j like Buffer", (text) => {
    expect(encodeBase64Utf8(text)).toBe(Buffer.from(text, "utf8").toString("base64"));
    expect(decodeBase64Utf8(encodeBase64Utf8(text))).toBe(text);
  });

  it.each(["%%%", "/w=="])("returns null for %j (not base64 or not UTF-8)", (input) => {
    expect(decodeBase64Utf8(input)).toBeNull();
  });
});

describe("hashSecretContent", () => {
  const base = hashSecretContent("kubernetes.io/dockerconfigjson", { a: "MQ==", b: "Mg==" });
  it.each([
    [
      "same content, other key order",
      hashSecretContent("kubernetes.io/dockerconfigjson", { b: "Mg==", a: "MQ==" }),
      true,
    ],
    ["other type", hashSecretContent("Opaque", { a: "MQ==", b: "Mg==" }), false],
    ["other value", hashSecretContent("kubernetes.io/dockerconfigjson", { a: "MQ==", b: "Mw==" }), false],
    ["extra key", hashSecretContent("kubernetes.io/dockerconfigjson", { a: "MQ==", b: "Mg==", c: "" }), false],
  ] as const)("%s → equal: %s", (_, other, equal) => {
    expect(other === base).toBe(equal);
  });

  it("is prefixed with the algorithm", () => {
    expect(base).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

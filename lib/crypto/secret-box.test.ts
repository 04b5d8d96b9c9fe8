import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createKeyring, decodeKeyList, keyId, open, seal, sealedKeyId } from "./secret-box";

const keyA = randomBytes(32);
const keyB = randomBytes(32);

describe("keyring with previous keys", () => {
  it("seals with the current key and opens with any key of the ring", () => {
    const old = seal(createKeyring(keyA), "secret", "row:1");
    const ring = createKeyring(keyB, [keyA]);
    expect(ring.current).toBe(keyId(keyB));
    expect(open(ring, old, "row:1")).toBe("secret");
    expect(sealedKeyId(seal(ring, "secret", "row:1"))).toBe(keyId(keyB));
  });

  it("stays on the current key when it is also listed as a previous one", () => {
    expect(createKeyring(keyB, [keyB, keyA]).current).toBe(keyId(keyB));
  });

  it("names the missing key id, never the value", () => {
    const sealed = seal(createKeyring(keyA), "hunter2-secret", "row:1");
    expect(() => open(createKeyring(keyB), sealed, "row:1")).toThrow(
      `sealed with encryption key id ${keyId(keyA)}, which is neither REGCRED_ENCRYPTION_KEY nor in REGCRED_ENCRYPTION_KEYS`,
    );
  });

  it("refuses a value bound to another row", () => {
    const ring = createKeyring(keyA);
    expect(() => open(ring, seal(ring, "secret", "row:1"), "row:2")).toThrow();
  });
});

describe("decodeKeyList", () => {
  it.each([
    [undefined, 0],
    ["", 0],
    [keyA.toString("hex"), 1],
    [`${keyA.toString("hex")}, ${keyB.toString("base64")}`, 2],
  ])("%j has %d keys", (text, count) => {
    expect(decodeKeyList(text)).toHaveLength(count);
  });
});

describe("sealedKeyId", () => {
  it.each([
    ["v1.abc123.iv.tag.body", "abc123"],
    ["v2.abc123.iv.tag.body", null],
    ["garbage", null],
  ])("%j → %j", (sealed, id) => {
    expect(sealedKeyId(sealed)).toBe(id);
  });
});

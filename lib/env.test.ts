import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("applies the documented defaults", () => {
    const e = parseEnv({});
    expect(e).toMatchObject({
      PORT: 3000,
      REGCRED_DEFAULT_ORG: "default",
      REGCRED_ADMIN_EMAIL: "admin@regcred.local",
      REGCRED_CHECK_TIMEOUT_MS: 10_000,
    });
    expect(e.dataDir.endsWith("/data")).toBe(true);
    expect(e.DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ REGCRED_DEFAULT_ORG: "Bad Org" }, "REGCRED_DEFAULT_ORG"],
    [{ REGCRED_ADMIN_EMAIL: "not-an-email" }, "REGCRED_ADMIN_EMAIL"],
    [{ REGCRED_ADMIN_PASSWORD: "short" }, "REGCRED_ADMIN_PASSWORD"],
    [{ REGCRED_BOOTSTRAP_TOKEN: "tiny" }, "REGCRED_BOOTSTRAP_TOKEN"],
    [{ REGCRED_ENCRYPTION_KEY: "abcd" }, "REGCRED_ENCRYPTION_KEY"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
  ])("rejects %o naming %s", (source, name) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    expect(() => parseEnv(source)).toThrow(new RegExp(`${name}: `));
  });

  it("names every invalid variable at once", () => {
    const err = (() => {
      try {
        parseEnv({ PORT: "x", LOG_LEVEL: "y" });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err?.message).toMatch(/PORT: /);
    expect(err?.message).toMatch(/LOG_LEVEL: /);
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PORT: "" }).PORT).toBe(3000);
  });

  it("accepts a hex or base64 encryption key", () => {
    expect(parseEnv({ REGCRED_ENCRYPTION_KEY: "a".repeat(64) }).REGCRED_ENCRYPTION_KEY).toBe("a".repeat(64));
    expect(
      parseEnv({ REGCRED_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64") }).REGCRED_ENCRYPTION_KEY,
    ).toBeDefined();
  });
});

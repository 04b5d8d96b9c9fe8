import { describe, expect, it } from "vitest";
import { AUDIT_DEFAULT_LIMIT, decodeAuditCursor, encodeAuditCursor, nextPageSearch, parseAuditQuery } from "./query";

describe("audit cursor", () => {
  it.each([1, 42, 9_007_199_254_740_991])("round-trips id %d", (id) => {
    expect(decodeAuditCursor(encodeAuditCursor(id))).toBe(id);
  });

  it.each([
    "",
    "abc",
    "42",
    encodeAuditCursor(1).slice(0, -1) + "!",
    Buffer.from("a1:0").toString("base64url"),
    Buffer.from("a1:-5").toString("base64url"),
    Buffer.from("a1:1e3").toString("base64url"),
    Buffer.from("b1:5").toString("base64url"),
    "x".repeat(41),
  ])("refuses %j", (cursor) => {
    expect(decodeAuditCursor(cursor)).toBeNull();
  });
});

describe("parseAuditQuery", () => {
  it("defaults to the newest 200 entries and no filter", () => {
    expect(parseAuditQuery({})).toEqual({
      ok: true,
      query: {
        limit: AUDIT_DEFAULT_LIMIT,
        beforeId: null,
        action: null,
        actor: null,
        target: null,
        since: null,
        until: null,
      },
    });
  });

  it("reads every filter", () => {
    const parsed = parseAuditQuery({
      limit: "50",
      cursor: encodeAuditCursor(7),
      action: "token.revoke",
      actor: "a@b.c",
      target: "t1",
      since: "2026-01-01T00:00:00Z",
      until: "2026-01-02T00:00:00.5+02:00",
    });
    expect(parsed).toEqual({
      ok: true,
      query: {
        limit: 50,
        beforeId: 7,
        action: "token.revoke",
        actor: "a@b.c",
        target: "t1",
        since: new Date("2026-01-01T00:00:00Z"),
        until: new Date("2026-01-01T22:00:00.500Z"),
      },
    });
  });

  it("accepts RFC 3339's lower-case t and z", () => {
    const parsed = parseAuditQuery({ since: "2026-01-01t00:00:00z" });
    expect(parsed.ok && parsed.query.since).toEqual(new Date("2026-01-01T00:00:00Z"));
  });

  const bad: Array<[Record<string, string>, string, RegExp]> = [
    [{ limit: "0" }, "limit", /1 to 500/],
    [{ limit: "" }, "limit", /whole number/],
    [{ until: "" }, "until", /ISO 8601/],
    [{ limit: "501" }, "limit", /1 to 500/],
    [{ limit: "ten" }, "limit", /whole number/],
    [{ limit: "1.5" }, "limit", /whole number/],
    [{ cursor: "nope" }, "cursor", /not a cursor/],
    [{ since: "yesterday" }, "since", /ISO 8601/],
    [{ since: "2026-01-01" }, "since", /time zone/],
    [{ until: "2026-13-01T00:00:00Z" }, "until", /ISO 8601/],
    [{ since: "2026-01-02T00:00:00Z", until: "2026-01-01T00:00:00Z" }, "until", /later than since/],
    [{ action: "x".repeat(501) }, "action", /at most 500/],
  ];
  it.each(bad)("%j names %s", (params, field, message) => {
    const parsed = parseAuditQuery(params);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.fields[field]).toMatch(message);
  });
});

describe("nextPageSearch", () => {
  it("keeps the filters and limit and replaces the cursor", () => {
    expect(
      nextPageSearch({ limit: "10", cursor: "old", action: "registry.create", since: "2026-01-01T00:00:00Z" }, "NEW"),
    ).toBe("limit=10&cursor=NEW&action=registry.create&since=2026-01-01T00%3A00%3A00Z");
  });
});

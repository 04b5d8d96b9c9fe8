import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "./errors";
import { describeError, log, scrubMessage } from "./log";

const awsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const apiToken = "rcwh_3kTq9ZpX2mN7vB4cL8dF1gH6jK0sA5eR";

describe("scrubMessage", () => {
  it.each([
    ["a driver message is kept", 'relation "cluster_sync" does not exist', 'relation "cluster_sync" does not exist'],
    [
      "a constraint name is kept",
      'duplicate key value violates unique constraint "registries_org_id_registry_unique"',
      'duplicate key value violates unique constraint "registries_org_id_registry_unique"',
    ],
    [
      "a row id (UUID) is kept",
      "cluster 0b7c6f0e-7d2a-4c55-9a3e-1f2b3c4d5e6f not found",
      "cluster 0b7c6f0e-7d2a-4c55-9a3e-1f2b3c4d5e6f not found",
    ],
    ["a network error is kept", "connect ECONNREFUSED 127.0.0.1:5432", "connect ECONNREFUSED 127.0.0.1:5432"],
    [
      "query parameters on later lines are dropped",
      "Failed query: select 1\nparams: hunter2",
      "Failed query: select 1",
    ],
    [
      "userinfo in a URL",
      "cannot reach postgres://regcred:s3cret@db:5432/x",
      "cannot reach postgres://[redacted]@db:5432/x",
    ],
    ["a Bearer token", `sent Authorization: Bearer ${apiToken}`, "sent Authorization: Bearer [redacted]"],
    ["Basic credentials", "header Basic YWxpY2U6aHVudGVyMg==", "header Basic [redacted]"],
    ["password=value", "login failed: password=hunter2 user=alice", "login failed: password=[redacted] user=alice"],
    ["a JSON password", 'body {"password":"hunter2"} refused', 'body {"password":"[redacted]"} refused'],
    ["an AWS secret key", `signature for ${awsSecret} did not match`, "signature for [redacted] did not match"],
    ["a PEM block", "bad key -----BEGIN PRIVATE KEY-----MIIEv", "bad key [redacted PEM]"],
  ])("%s", (_name, message, expected) => expect(scrubMessage(message)).toBe(expected));

  it("caps the length", () => expect(scrubMessage("x ".repeat(400)).length).toBeLessThanOrEqual(300));
});

describe("describeError", () => {
  it.each([
    [
      "an AppError keeps its message and code",
      new AppError("CONFLICT", 'A registry with id "a" already exists in this org.'),
      { error: 'A registry with id "a" already exists in this org.', errorName: "AppError" },
    ],
    [
      "a driver error gives its SQLSTATE as the code",
      Object.assign(new Error('relation "cluster_sync" does not exist'), { code: "42P01" }),
      { error: 'relation "cluster_sync" does not exist', errorCode: "42P01" },
    ],
    [
      "the cause chain is named, scrubbed, with codes",
      new Error("could not save", {
        cause: Object.assign(new Error(`password=${awsSecret}`), { name: "PostgresError", code: "23505" }),
      }),
      { error: "could not save", cause: "PostgresError (23505): password=[redacted]" },
    ],
    [
      "a drizzle query error shows the driver's error, and the query without its parameters",
      new Error(`Failed query: update "cluster_sync" set "last_error" = $1\nparams: ${awsSecret}`, {
        cause: Object.assign(new Error('relation "cluster_sync" does not exist'), { code: "42P01" }),
      }),
      {
        error: 'relation "cluster_sync" does not exist',
        errorCode: "42P01",
        query: 'update "cluster_sync" set "last_error" = $1',
      },
    ],
    ["a thrown string", "boom", { error: "string", errorName: "string" }],
    ["a failure value", { kind: "unreachable", message: "no route" }, { error: "no route", errorName: "object" }],
  ])("%s", (_name, err, expected) => expect(describeError(err)).toMatchObject(expected));

  it("keeps stack frames but not the message lines inside the stack", () => {
    const fields = describeError(new Error(`first\nparams: ${awsSecret}`));
    expect(String(fields.stack)).toMatch(/^ {4}at /);
    expect(JSON.stringify(fields)).not.toContain(awsSecret);
  });
});

describe("log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes errors and warnings as one JSON line on stderr", () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    log.error("sync pass failed", { cluster: "c1", ...describeError(new Error("connection terminated")) });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: "error",
      msg: "sync pass failed",
      cluster: "c1",
      error: "connection terminated",
    });
  });
});

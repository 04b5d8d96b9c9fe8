import { randomBytes, scryptSync } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "@/db/client";
import { memberships, users } from "@/db/schema";
import { hashPassword, passwordHashStats } from "@/lib/crypto/hash";
import { signIn } from "@/lib/auth/sign-in";
import { createOrg, uniqueId } from "../helpers/db";

let database: Database;
let orgId: string;
const password = "correct horse battery staple";

beforeAll(async () => {
  database = await openDatabase({});
  orgId = await createOrg(database.db, "signin");
});
afterAll(async () => {
  await database.close();
});

async function addUser(passwordHash: string | null): Promise<string> {
  const email = `${uniqueId("u")}@sign-in.test`;
  const [user] = await database.db.insert(users).values({ email, passwordHash }).returning({ id: users.id });
  await database.db.insert(memberships).values({ orgId, userId: user!.id, role: "viewer" });
  return email;
}

/** The number of password hashes one sign-in attempt computes, and whether it succeeded. */
async function attempt(email: string, pw: string, address = "192.0.2.10"): Promise<{ hashes: number; ok: boolean }> {
  const before = passwordHashStats.calls;
  const ok = await signIn(database.db, { email, password: pw }, { address }).then(
    () => true,
    () => false,
  );
  return { hashes: passwordHashStats.calls - before, ok };
}

const codeOf = (email: string, pw: string, address: string) =>
  signIn(database.db, { email, password: pw }, { address }).then(
    () => "OK",
    (err: { code?: string }) => err.code ?? "THROWN",
  );

describe("[sign-in] the same work for unknown and known accounts", () => {
  it("computes exactly one password hash for an unknown email, a user without a password, a wrong and a right password", async () => {
    const known = await addUser(await hashPassword(password));
    const pending = await addUser(null);
    const results = {
      unknown: await attempt(`${uniqueId("nobody")}@sign-in.test`, password),
      pending: await attempt(pending, password),
      wrong: await attempt(known, "not the password"),
      right: await attempt(known, password),
    };
    expect(results).toEqual({
      unknown: { hashes: 1, ok: false },
      pending: { hashes: 1, ok: false },
      wrong: { hashes: 1, ok: false },
      right: { hashes: 1, ok: true },
    });
  });
});

describe("[sign-in] password hashes record their parameters", () => {
  it("an old scrypt$salt$hash (N=2^14) still verifies and is re-hashed with recorded parameters at the next sign-in", async () => {
    const salt = randomBytes(16);
    const legacy = `scrypt$${salt.toString("base64url")}$${scryptSync(password, salt, 64, { N: 2 ** 14, r: 8, p: 1 }).toString("base64url")}`;
    const email = await addUser(legacy);
    expect((await attempt(email, password)).ok).toBe(true);
    const [row] = await database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.email, email));
    // vitest.config.ts runs the integration suite at REGCRED_PASSWORD_SCRYPT_LOG_N=12.
    expect(row!.hash).toMatch(/^scrypt\$ln=12,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
    expect((await attempt(email, password)).ok).toBe(true);
    expect((await attempt(email, "not the password")).ok).toBe(false);
  });

  it("new hashes use the configured cost", async () => {
    expect(await hashPassword(password)).toMatch(/^scrypt\$ln=12,r=8,p=1\$/);
  });
});

describe("[sign-in] limits", () => {
  // vitest.config.ts leaves the defaults: 10 attempts per account, 50 per client, per 900 s.
  it("a successful sign-in gives the account its attempts back; the 11th attempt after it is refused before any hash", async () => {
    const email = await addUser(await hashPassword(password));
    const codes: string[] = [];
    for (let i = 0; i < 9; i++) codes.push(await codeOf(email, "wrong", "192.0.2.20"));
    codes.push(await codeOf(email, password, "192.0.2.20"));
    for (let i = 0; i < 10; i++) codes.push(await codeOf(email, "wrong", "192.0.2.21"));
    expect(codes).toEqual([...Array(9).fill("UNAUTHENTICATED"), "OK", ...Array(10).fill("UNAUTHENTICATED")]);
    const before = passwordHashStats.calls;
    expect(await codeOf(email, password, "192.0.2.22")).toBe("RATE_LIMITED");
    expect(passwordHashStats.calls).toBe(before);
  });

  it("an unknown account is limited exactly like a known one", async () => {
    const email = `${uniqueId("nobody")}@sign-in.test`;
    const codes: string[] = [];
    for (let i = 0; i < 11; i++) codes.push(await codeOf(email, "wrong", "192.0.2.30"));
    expect(codes).toEqual([...Array(10).fill("UNAUTHENTICATED"), "RATE_LIMITED"]);
  });
});

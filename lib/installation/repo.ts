import "server-only";
import { randomBytes } from "node:crypto";
import { asc, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { installation } from "@/db/schema";

// Any constant: serialises the first start of several replicas on one database.
const LOCK_KEY = 0x72656763;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const cache = new WeakMap<Db, Promise<string>>();

/** 10 characters of [a-z0-9], starting with a letter: a valid label value, DNS-1123 label and name part. */
export function newInstallationId(bytes: Buffer = randomBytes(10)): string {
  return [...bytes].map((b, i) => (i === 0 ? ALPHABET[b % 26] : ALPHABET[b % 36])).join("");
}

async function readOrCreate(db: Db): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
    const [row] = await tx
      .select({ id: installation.id })
      .from(installation)
      .orderBy(asc(installation.createdAt), asc(installation.id))
      .limit(1);
    if (row) return row.id;
    const id = newInstallationId();
    await tx.insert(installation).values({ id });
    return id;
  });
}

/**
 * This installation's identity (written on every object it owns in a cluster): generated at first start and kept in
 * the database; replicas starting together on one database agree on one id. Distinct from REGCRED_INSTANCE_ID.
 */
export function ensureInstallation(db: Db): Promise<string> {
  let id = cache.get(db);
  if (!id) {
    id = readOrCreate(db);
    cache.set(db, id);
    id.catch(() => cache.delete(db));
  }
  return id;
}

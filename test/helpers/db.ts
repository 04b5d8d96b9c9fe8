import { randomBytes } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { type Database, type Db, openDatabase } from "@/db/client";
import { orgs } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import type { Role } from "@/lib/auth/roles";

export type Backend = { name: "pglite" | "postgresql"; open: () => Promise<Database> };

/** PGlite in memory, and the PostgreSQL at DATABASE_URL_TEST (a missing URL is an error, not a skip). */
export const backends: Backend[] = [
  { name: "pglite", open: () => openDatabase({}) },
  {
    name: "postgresql",
    open: () => {
      const url = process.env.DATABASE_URL_TEST;
      if (!url) {
        throw new Error(
          "DATABASE_URL_TEST is not set: the data-layer suite must also run against PostgreSQL. " +
            "Start one with scripts/peers/postgres-up.sh and export DATABASE_URL_TEST from its env file.",
        );
      }
      return openDatabase({ url });
    },
  },
];

export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

/** Inserts a fresh org so each test owns its rows on a shared PostgreSQL. */
export async function createOrg(db: Db, prefix = "org"): Promise<string> {
  const id = uniqueId(prefix);
  await db.insert(orgs).values({ id, name: id });
  return id;
}

export function actorFor(orgId: string, role: Role, label = `test-${role}`): Actor {
  return { orgId, role, kind: "user", userId: null, tokenId: null, label, scopes: [] };
}

/** Runs raw SQL on either driver and returns the rows (postgres-js returns an array, PGlite `{ rows }`). */
export async function queryRows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export { sql };

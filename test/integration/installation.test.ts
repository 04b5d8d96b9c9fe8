import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "@/db/client";
import { installation } from "@/db/schema";
import { ensureInstallation } from "@/lib/installation/repo";

const opened: Database[] = [];
afterAll(async () => {
  await Promise.all(opened.map((d) => d.close()));
});

describe("installation identity", () => {
  it("[installation] replicas starting together on one PostgreSQL database agree on one id, kept across restarts", async () => {
    const admin = process.env.PG_ADMIN_URL;
    if (!admin)
      throw new Error(
        "PG_ADMIN_URL is not set: start PostgreSQL with scripts/peers/postgres-up.sh and export its env file.",
      );
    const pg = postgres(admin, { max: 1, onnotice: () => {} });
    const name = `regcred_inst_${randomBytes(4).toString("hex")}`;
    await pg.unsafe(`create database ${name}`);
    try {
      const url = new URL(admin);
      url.pathname = `/${name}`;
      const first = await openDatabase({ url: url.toString() });
      opened.push(first);
      // Each replica has its own pool (and its own cache of the id).
      const replicas = await Promise.all(Array.from({ length: 4 }, () => openDatabase({ url: url.toString() })));
      opened.push(...replicas);
      const ids = await Promise.all([first, ...replicas].map((d) => ensureInstallation(d.db)));
      expect(new Set(ids).size).toBe(1);
      expect(ids[0]).toMatch(/^[a-z][a-z0-9]{9}$/);
      expect(await first.db.select().from(installation)).toHaveLength(1);
      const restarted = await openDatabase({ url: url.toString() });
      opened.push(restarted);
      expect(await ensureInstallation(restarted.db)).toBe(ids[0]);
    } finally {
      await Promise.all(opened.splice(0).map((d) => d.close()));
      await pg.unsafe(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await pg.end();
    }
  });

  it("[installation] two PGlite databases (two installations) get different ids", async () => {
    const [a, b] = await Promise.all([openDatabase({}), openDatabase({})]);
    opened.push(a!, b!);
    expect(await ensureInstallation(a!.db)).not.toBe(await ensureInstallation(b!.db));
  });
});

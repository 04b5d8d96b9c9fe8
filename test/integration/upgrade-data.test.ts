import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { queryRows, sql } from "../helpers/db";

// The data of the release before migration 0004, written as that release wrote it, then opened by today's code.
const migrations = path.join(process.cwd(), "db", "migrations");
const previousRelease = "0003_cluster_wiring_stuck_pods";

function migrationsUpTo(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-migrations-"));
  fs.mkdirSync(path.join(dir, "meta"));
  const journal = JSON.parse(fs.readFileSync(path.join(migrations, "meta", "_journal.json"), "utf8")) as {
    entries: Array<{ tag: string; idx: number }>;
  };
  const last = journal.entries.findIndex((e) => e.tag === tag);
  expect(last, `migration ${tag} exists`).toBeGreaterThanOrEqual(0);
  const entries = journal.entries.slice(0, last + 1);
  for (const e of entries) fs.copyFileSync(path.join(migrations, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  fs.writeFileSync(path.join(dir, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));
  return dir;
}

describe("[upgrade] data written by the previous release keeps working after migration 0004", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-upgrade-"));

  beforeAll(async () => {
    const old = new PGlite(path.join(dataDir, "pglite"));
    const db = drizzle(old);
    await migrate(db, { migrationsFolder: migrationsUpTo(previousRelease) });
    await old.exec(`
      INSERT INTO orgs (id, name) VALUES ('acme', 'acme'), ('globex', 'globex');
      INSERT INTO users (id, email, password_hash, created_at) VALUES
        ('00000000-0000-4000-8000-000000000001', 'first@acme.test', 'scrypt$c2FsdA$aGFzaA', '2026-01-01T00:00:00Z'),
        ('00000000-0000-4000-8000-000000000002', 'second@acme.test', 'scrypt$c2FsdA$aGFzaA', '2026-02-01T00:00:00Z');
      INSERT INTO users (id, email, invite_token_hash, invite_expires_at, created_at) VALUES
        ('00000000-0000-4000-8000-000000000003', 'pending@acme.test', 'invitehash', '2099-01-01T00:00:00Z', '2026-03-01T00:00:00Z');
      INSERT INTO memberships (org_id, user_id, role, created_at) VALUES
        ('acme', '00000000-0000-4000-8000-000000000001', 'admin', '2026-01-01T00:00:00Z'),
        ('acme', '00000000-0000-4000-8000-000000000002', 'admin', '2026-02-01T00:00:00Z'),
        ('acme', '00000000-0000-4000-8000-000000000003', 'viewer', '2026-03-01T00:00:00Z'),
        ('globex', '00000000-0000-4000-8000-000000000003', 'admin', '2026-03-02T00:00:00Z');
      INSERT INTO clusters (id, org_id, name, source, server, context_name, auth_kind, exclude_namespaces, created_by) VALUES
        ('10000000-0000-4000-8000-000000000001', 'acme', 'prod', 'kubeconfig', 'https://127.0.0.1:6443', 'prod', 'token', '{}', 'first@acme.test'),
        ('10000000-0000-4000-8000-000000000002', 'acme', 'dev', 'kubeconfig', 'https://127.0.0.1:6443', 'dev', 'token', '{}', 'first@acme.test'),
        ('10000000-0000-4000-8000-000000000003', 'globex', 'prod', 'kubeconfig', 'https://127.0.0.1:6443', 'prod', 'token', '{}', 'x');
      INSERT INTO registries (org_id, id, registry, type, secrets, created_by) VALUES
        ('acme', 'shared', 'shared.example.com', 'secret_ref', '{"*": {"namespace": "central", "secret": "pull"}}', 'first@acme.test'),
        ('acme', 'prod-only', 'prod.example.com', 'secret_ref', '{"prod": {"namespace": "prod-secrets", "secret": "pull"}}', 'first@acme.test'),
        ('acme', 'hub', 'docker.io', 'basic', NULL, 'first@acme.test');
      INSERT INTO cluster_sync (cluster_id, org_id, wiring) VALUES ('10000000-0000-4000-8000-000000000001', 'acme', 'webhook');
    `);
    await old.close();
  });

  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("[upgrade] migrates invites, instance admins, secret_ref allow-lists and webhook auth", async () => {
    const database = await openDatabase({ dataDir });
    try {
      const { db } = database;
      const invites = await queryRows<{ org_id: string; invite_token_hash: string | null }>(
        db,
        sql`SELECT org_id, invite_token_hash FROM memberships WHERE user_id = '00000000-0000-4000-8000-000000000003' ORDER BY org_id`,
      );
      // The pending invite belongs to the membership it was issued for (the earliest), not to every org.
      expect(invites).toEqual([
        { org_id: "acme", invite_token_hash: "invitehash" },
        { org_id: "globex", invite_token_hash: null },
      ]);
      const userInvites = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM users WHERE invite_token_hash IS NOT NULL`,
      );
      expect(userInvites[0]?.n).toBe(0);

      const admins = await queryRows<{ email: string }>(
        db,
        sql`SELECT email FROM users WHERE instance_admin ORDER BY email`,
      );
      expect(admins.map((a) => a.email)).toEqual(["first@acme.test"]);

      const allow = await queryRows<{ org_id: string; name: string; secret_ref_namespaces: string[] }>(
        db,
        sql`SELECT org_id, name, secret_ref_namespaces FROM clusters ORDER BY org_id, name`,
      );
      expect(allow).toEqual([
        { org_id: "acme", name: "dev", secret_ref_namespaces: ["central"] },
        { org_id: "acme", name: "prod", secret_ref_namespaces: ["central", "prod-secrets"] },
        { org_id: "globex", name: "prod", secret_ref_namespaces: [] },
      ]);

      const webhook = await queryRows<{ wiring: string; webhook_auth: string }>(
        db,
        sql`SELECT wiring, webhook_auth FROM cluster_sync`,
      );
      expect(webhook).toEqual([{ wiring: "webhook", webhook_auth: "none" }]);
    } finally {
      await database.close();
    }
  });
});

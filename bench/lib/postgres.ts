// A throw-away PostgreSQL database for a bench: on the server PG_ADMIN_URL names (the test peers'), or on one started
// here under `workDir` (scripts/peers/postgres-up.sh). Pushes its clean-up (drop the database, stop the server) onto
// `cleanups`, to run in reverse order when the bench ends.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";

const root = path.resolve(import.meta.dirname, "..", "..");

export async function benchDatabaseUrl(
  workDir: string,
  name: string,
  cleanups: Array<() => void | Promise<void>>,
): Promise<string> {
  let admin = process.env.PG_ADMIN_URL;
  if (!admin) {
    // PostgreSQL runs as its own user and keeps its data under workDir, which it must be able to reach.
    fs.chmodSync(workDir, 0o755);
    const dir = path.join(workDir, "peers");
    execFileSync(path.join(root, "scripts/peers/postgres-up.sh"), [dir], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, REGCRED_PEERS_QUIET: "1" },
    });
    cleanups.push(
      () => void execFileSync(path.join(root, "scripts/peers/postgres-down.sh"), [dir], { stdio: "ignore" }),
    );
    const env = fs.readFileSync(path.join(dir, "pg", "env"), "utf8");
    admin = /^PG_ADMIN_URL=(.*)$/m.exec(env)![1]!;
  }
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${name}`);
  cleanups.push(async () => {
    const s = postgres(admin, { max: 1, onnotice: () => {} });
    await s.unsafe(`drop database if exists ${name} with (force)`).catch(() => undefined);
    await s.end();
  });
  await sql.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

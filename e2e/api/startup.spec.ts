import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "../own-server";

type Run = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function startServer(env: Record<string, string>, port: number): Run {
  let out = "";
  const child = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, DATABASE_URL: "", REGCRED_BOOTSTRAP_TOKEN: "", REGCRED_ADMIN_PASSWORD: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += String(d)));
  child.stderr!.on("data", (d) => (out += String(d)));
  return { child, output: () => out, exited: new Promise((r) => child.on("exit", (code) => r(code))) };
}

async function waitForPage(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/login`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("server did not start");
}

test("[startup] an invalid variable stops start-up with a message naming it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-startup-"));
  const run = startServer(
    { REGCRED_DATA_DIR: dir, REGCRED_ENCRYPTION_KEY: "not-a-key", REGCRED_DEFAULT_ORG: "Bad Org" },
    await freePort(),
  );
  const code = await Promise.race([run.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 45_000))]);
  run.child.kill();
  expect(code).toBe(1);
  expect(run.output()).toMatch(/REGCRED_ENCRYPTION_KEY: must be 32 bytes/);
  expect(run.output()).toMatch(/REGCRED_DEFAULT_ORG: must match/);
  expect(fs.readdirSync(dir)).toEqual([]);
});

test("[startup] first start generates a 0600 key and prints the admin password once", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-startup-"));
  // A port free right now: another server answering on a fixed one would pass for this one.
  const port = await freePort();
  const first = startServer({ REGCRED_DATA_DIR: dir, REGCRED_ADMIN_EMAIL: "first@startup.test" }, port);
  await waitForPage(port);
  first.child.kill("SIGTERM");
  await first.exited;
  const password = /Generated password \(shown once\): (\S+)/.exec(first.output())?.[1];
  expect(password).toBeTruthy();
  expect(fs.statSync(path.join(dir, "encryption.key")).mode & 0o777).toBe(0o600);

  const second = startServer({ REGCRED_DATA_DIR: dir, REGCRED_ADMIN_EMAIL: "first@startup.test" }, port);
  await waitForPage(port);
  second.child.kill("SIGTERM");
  await second.exited;
  expect(second.output()).not.toContain("Generated password");
  expect(second.output()).not.toContain(password!);
});

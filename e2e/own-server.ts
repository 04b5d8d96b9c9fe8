import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** A server a spec starts itself (its own data dir and port), apart from the global one. */
export type OwnServer = { port: number; url: string; output: () => string; stop: () => Promise<void> };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** `next start` on 127.0.0.1:`port`, its output appended to `logFile`; the caller stops it. */
export function spawnAppServer(port: number, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const log = fs.openSync(logFile, "a");
  // Idle connections stay open longer than any test, so a client never reuses one the server is closing (ECONNRESET).
  const args = ["start", "-p", String(port), "-H", "127.0.0.1", "--keepAliveTimeout", "120000"];
  const child = spawn(path.join("node_modules", ".bin", "next"), args, {
    env,
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  return child;
}

/** Resolves once GET /login answers; throws (naming the log) if the process exits first or the deadline passes. */
export async function waitForAppServer(
  url: string,
  child: ChildProcess,
  logFile: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}; see ${logFile}`);
    if (
      await fetch(`${url}/login`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server did not answer within ${timeoutMs} ms; see ${logFile}`);
}

export function tempDataDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `regcred-${prefix}-`));
}

/** Starts `next start` with the suite's test settings plus `env`; resolves once /login answers. */
export async function startOwnServer(env: Record<string, string>): Promise<OwnServer> {
  const port = await freePort();
  let out = "";
  const child: ChildProcess = spawn(
    path.join("node_modules", ".bin", "next"),
    ["start", "-p", String(port), "-H", "127.0.0.1"],
    {
      env: {
        ...process.env,
        DATABASE_URL: "",
        REGCRED_BOOTSTRAP_TOKEN: "",
        REGCRED_ADMIN_PASSWORD: "",
        REGCRED_CONTROLLER: "off",
        REGCRED_PASSWORD_SCRYPT_LOG_N: "12",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout!.on("data", (d) => (out += String(d)));
  child.stderr!.on("data", (d) => (out += String(d)));
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
    if (
      await fetch(`${url}/login`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { port, url, output: () => out, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`server did not start:\n${out}`);
}

import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import net from "node:net";

export type Peer = { name: string; pid: number; logFile: string; stop: () => Promise<void> };

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A crashed or interrupted test run must not leave registries or moto behind.
  process.once("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function tailOf(file: string, lines = 25): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type StartOptions = {
  name: string;
  cmd: string;
  args: string[];
  logFile: string;
  env?: Record<string, string | undefined>;
  ready: () => Promise<boolean>;
  timeoutMs?: number;
};

/** Spawns a peer with its output in logFile and waits for ready(); throws (with the log tail) if it exits or times out. */
export async function startProcess(opts: StartOptions): Promise<Peer> {
  installExitHook();
  const fd = openSync(opts.logFile, "a");
  const child = spawn(opts.cmd, opts.args, {
    env: (opts.env ?? process.env) as NodeJS.ProcessEnv,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  running.add(child);
  let exited: string | null = null;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
      running.delete(child);
      resolve();
    });
    child.once("error", (err) => {
      exited = `could not start: ${err.message}`;
      running.delete(child);
      resolve();
    });
  });
  const stop = async () => {
    if (exited) return;
    child.kill("SIGTERM");
    const killed = await Promise.race([exitedPromise.then(() => true), sleep(5000).then(() => false)]);
    if (!killed) {
      child.kill("SIGKILL");
      await exitedPromise;
    }
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (exited) throw new Error(`${opts.name} ${exited}; log ${opts.logFile}:\n${tailOf(opts.logFile)}`);
    if (await opts.ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `${opts.name} not ready after ${opts.timeoutMs ?? 30_000} ms; log ${opts.logFile}:\n${tailOf(opts.logFile)}`,
      );
    }
    await sleep(150);
  }
  return { name: opts.name, pid: child.pid!, logFile: opts.logFile, stop };
}

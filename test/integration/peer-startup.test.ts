import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "@/test/peers";

// scripts/peers/lib.sh judges a peer by its health check, not by the pid start_daemon recorded (the first
// run on a fresh machine once reported "etcd exited" while etcd served). Each case is a bash script that
// sources lib.sh; a python3 http.server stands in for the daemon, its own --directory marking its command line.
const LIB = path.resolve(import.meta.dirname, "../../scripts/peers/lib.sh");
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) {
    // Whatever a failed case left running, by the pids it wrote down.
    for (const file of ["d.pid", "daemon.pid"]) {
      const pid = Number(fs.existsSync(path.join(d, file)) ? fs.readFileSync(path.join(d, file), "utf8") : "");
      if (pid > 0) spawnSync("kill", ["-KILL", String(pid)]);
    }
    fs.rmSync(d, { recursive: true, force: true });
  }
});

type Run = { status: number | null; stdout: string; stderr: string };

/** Runs `body` in bash after `source lib.sh`, from a file: the pattern must not appear in bash's own command line. */
async function scenario(body: string): Promise<Run & { dir: string; port: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-peer-startup-"));
  dirs.push(dir);
  const port = await freePort();
  const serve = `python3 -m http.server ${port} --bind 127.0.0.1 --directory ${dir}`;
  fs.writeFileSync(
    path.join(dir, "wrapper.sh"),
    // A launcher that starts the daemon in the background and exits at once, as forking daemons do.
    `#!/usr/bin/env bash\necho "wrapper: starting the daemon"\nsetsid ${serve} </dev/null >>"${dir}/d.log" 2>&1 &\necho $! >"${dir}/daemon.pid"\nexit 0\n`,
    { mode: 0o755 },
  );
  const script = path.join(dir, "case.sh");
  fs.writeFileSync(
    script,
    [
      "set -euo pipefail",
      `source ${LIB}`,
      `T=${dir} P=${port}`,
      `health() { curl -sf --max-time 1 "http://127.0.0.1:$P/" >/dev/null; }`,
      `MARK="--directory $T( |$)"`,
      body,
    ].join("\n"),
  );
  const r = spawnSync("bash", [script], { encoding: "utf8", timeout: 50_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, dir, port };
}

describe("peer start-up is judged by health", () => {
  it("[peers] a daemon started through a wrapper that exits at once is up once its health check answers; its own pid is recorded and stopped", async () => {
    const r = await scenario(`
start_daemon "$T/d.pid" "$T/d.log" "$T/wrapper.sh"
wrapper=$(<"$T/d.pid")
while kill -0 "$wrapper" 2>/dev/null; do sleep 0.05; done
pid_alive "$T/d.pid" && echo "recorded pid: alive" || echo "recorded pid: gone"
await_healthy demo 30 "$T/d.log" "$T/d.pid" "$MARK" health
echo "healthy"
daemon=$(<"$T/d.pid")
[[ $daemon != "$wrapper" ]] && echo "daemon pid recorded"
stop_pidfile "$T/d.pid" "" 5
kill -0 "$daemon" 2>/dev/null && echo "daemon still running" || echo "daemon stopped"
`);
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n")).toEqual([
      "recorded pid: gone",
      "healthy",
      "daemon pid recorded",
      "daemon stopped",
      "",
    ]);
    expect(r.status).toBe(0);
  });

  it("[peers] a daemon that exits is reported as exited, with its log's tail, without waiting out the deadline", async () => {
    const r = await scenario(`
printf '#!/usr/bin/env bash\\necho "daemon: fatal: address already in use"\\nexit 3\\n' >"$T/crash.sh"
chmod +x "$T/crash.sh"
start_daemon "$T/d.pid" "$T/d.log" "$T/crash.sh"
await_healthy demo 600 "$T/d.log" "$T/d.pid" "$MARK" health || echo "failed"
`);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("failed\n");
    expect(r.stderr).toContain("demo exited (no process matches");
    expect(r.stderr).toContain("daemon: fatal: address already in use");
  });

  it("[peers] a daemon that runs but never answers fails at the deadline, with its log's tail", async () => {
    const r = await scenario(`
start_daemon "$T/d.pid" "$T/d.log" python3 -c 'import time; print("daemon: waiting for a disk", flush=True); time.sleep(120)' --directory "$T"
await_healthy demo 2 "$T/d.log" "$T/d.pid" "$MARK" health || echo "failed"
stop_pidfile "$T/d.pid" "" 5
`);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("failed\n");
    expect(r.stderr).toContain("demo not healthy after 2s");
    expect(r.stderr).toContain("daemon: waiting for a disk");
  });
});

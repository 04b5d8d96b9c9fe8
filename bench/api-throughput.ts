// Throughput of `GET /api/orgs/{org}/registries` (200 registries, API token) on PGlite and on PostgreSQL, against a
// bare node:http server answering the same JSON from a pre-serialised buffer, all loaded by autocannon in the same run:
//   bench/api-throughput.sh   (builds once if .next is missing; `next start` on a throw-away PGlite and on a database
//                              of PG_ADMIN_URL's server, or of a PostgreSQL started here)
// A further line, "next-404", loads an /api path no route serves (Next.js and the API's JSON 404, no auth, no
// database): what Next.js's request handling alone costs, for reading the ratio.
// Env: BENCH_CONNECTIONS (16), BENCH_SECONDS (10 per round), BENCH_ROUNDS (2, alternating bare/Regcred),
// BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the PGlite server and prints where its CPU went in each phase.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { freePort, waitForAppServer } from "@/e2e/own-server";
import { loadAverage } from "./lib/apiserver-metrics";
import { summariseCpuProfile } from "./lib/cpu-profile-summary";
import { benchDatabaseUrl } from "./lib/postgres";

const REGISTRIES = 200;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const ORG = "bench-org";
const token = randomBytes(32).toString("base64url");
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-api-bench-"));
const children: ChildProcess[] = [];

function stopAll(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
}
process.on("exit", stopAll);

/** `next start` on PGlite (databaseUrl empty) or PostgreSQL; only the PGlite one is profiled (BENCH_CPU_PROF). */
async function startRegcred(databaseUrl = ""): Promise<string> {
  const port = await freePort();
  const log = path.join(runDir, databaseUrl ? "server-postgres.log" : "server.log");
  const prof = databaseUrl ? undefined : process.env.BENCH_CPU_PROF;
  const out = fs.openSync(log, "a");
  // process.execPath: the repo's Node 24 (the PATH may hold an older one, which @kubernetes/client-node refuses).
  const next = path.join("node_modules", "next", "dist", "bin", "next");
  // The flags `npm start` (package.json) gives Node.
  const flags = ["--liftoff-only", "--max-semi-space-size=1"];
  const child = spawn(process.execPath, [...flags, next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      REGCRED_DATA_DIR: path.join(runDir, databaseUrl ? "data-postgres" : "data"),
      REGCRED_DEFAULT_ORG: ORG,
      REGCRED_BOOTSTRAP_TOKEN: token,
      REGCRED_ADMIN_PASSWORD: "",
      REGCRED_CONTROLLER: "off",
      LOG_LEVEL: "warn",
      ...(prof ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(prof)}` } : {}),
    },
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitForAppServer(url, child, log, 120_000);
  return url;
}

const bareServerSource = `
const http = require("node:http");
const body = require("node:fs").readFileSync(process.argv[1]);
const server = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
  res.end(body);
});
server.keepAliveTimeout = 120000;
server.listen(0, "127.0.0.1", () => process.stdout.write(String(server.address().port) + "\\n"));
`;

/** A bare node:http server in its own process (like Regcred's), answering `body` to every request. */
async function startBare(body: Buffer): Promise<string> {
  const file = path.join(runDir, "registries.json");
  fs.writeFileSync(file, body);
  const child = spawn(process.execPath, ["-e", bareServerSource, file], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const port = await new Promise<string>((resolve) => child.stdout!.once("data", (d) => resolve(String(d).trim())));
  return `http://127.0.0.1:${port}`;
}

function registryBody(i: number): Record<string, unknown> {
  const id = `reg-${String(i).padStart(3, "0")}`;
  switch (i % 4) {
    case 0:
      return { id, registry: `public${i}.example.com`, type: "public" };
    case 1:
      return {
        id,
        registry: `basic${i}.example.com/team`,
        type: "basic",
        creds: { username: "u", password: `p-${i}` },
      };
    case 2:
      return {
        id,
        registry: `123456789012.dkr.ecr.eu-west-${(i % 3) + 1}.amazonaws.com/r${i}`,
        type: "amazon_ecr",
        enable_ci: true,
        creds: { username: "AKIAEXAMPLE", password: `secret-${i}` },
      };
    default:
      return {
        id,
        registry: `ref${i}.example.com`,
        type: "secret_ref",
        secrets: { "*": { namespace: "default", secret: `pull-${i}` } },
      };
  }
}

async function createRegistries(base: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  for (let i = 0; i < REGISTRIES; i++) {
    const res = await fetch(`${base}/api/orgs/${ORG}/registries`, {
      method: "POST",
      headers,
      body: JSON.stringify(registryBody(i)),
    });
    if (res.status !== 201) throw new Error(`creating registry ${i}: HTTP ${res.status} ${await res.text()}`);
  }
}

async function load(
  url: string,
  seconds: number,
  status = 200,
): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
  });
  const wrong = status === 200 ? result.non2xx : result.non2xx - result["4xx"] + result["2xx"];
  const errors = result.errors + result.timeouts + wrong;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
}

const cleanups: Array<() => void | Promise<void>> = [];
const regcred = await startRegcred();
await createRegistries(regcred);
// The same API on PostgreSQL (PG_ADMIN_URL's server, else one started here): the database out of the process.
const regcredPg = await startRegcred(
  await benchDatabaseUrl(runDir, `regcred_api_${randomBytes(3).toString("hex")}`, cleanups),
);
await createRegistries(regcredPg);
const path_ = `/api/orgs/${ORG}/registries`;
const first = await fetch(`${regcred}${path_}`, { headers: { authorization: `Bearer ${token}` } });
const body = Buffer.from(await first.arrayBuffer());
const listed = JSON.parse(body.toString("utf8")) as unknown[];
if (first.status !== 200 || listed.length !== REGISTRIES) throw new Error(`GET ${path_}: HTTP ${first.status}`);
const bare = await startBare(body);

console.log(
  `GET ${path_}: ${REGISTRIES} registries, ${body.length} bytes; ${CONNECTIONS} connections, ${SECONDS} s per round, ` +
    `${ROUNDS} rounds; ${os.cpus().length} CPUs`,
);
// Warm-up: JIT and Next's lazily compiled route.
await load(`${bare}${path_}`, 2);
await load(`${regcred}${path_}`, 3);
await load(`${regcredPg}${path_}`, 3);
const totals = { bare: 0, regcred: 0, "regcred-pg": 0, "next-404": 0 };
/** When each loaded phase ran (µs of CLOCK_MONOTONIC, the CPU profile's clock), to attribute the profile's samples. */
const windows: Record<keyof typeof totals, Array<[number, number]>> = {
  bare: [],
  regcred: [],
  "regcred-pg": [],
  "next-404": [],
};
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
for (let round = 1; round <= ROUNDS; round++) {
  for (const [name, url, status] of [
    ["bare", `${bare}${path_}`, 200],
    ["regcred", `${regcred}${path_}`, 200],
    ["regcred-pg", `${regcredPg}${path_}`, 200],
    ["next-404", `${regcred}/api/bench-no-such-endpoint`, 404],
  ] as const) {
    const from = nowUs();
    const r = await load(url, SECONDS, status);
    windows[name].push([from, nowUs()]);
    totals[name] += r.rps;
    console.log(
      `round ${round} ${name.padEnd(10)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms` +
        `  errors ${r.errors}  load average ${loadAverage()}`,
    );
    if (r.errors > 0) throw new Error(`${name}: ${r.errors} failed requests`);
  }
}
const share = (name: keyof typeof totals) =>
  `${name} ${(totals[name] / ROUNDS).toFixed(0)} req/s = ${((totals[name] / totals.bare) * 100).toFixed(1)} % of bare`;
console.log(
  `mean: bare ${(totals.bare / ROUNDS).toFixed(0)} req/s; ${share("regcred")} (PGlite), ${share("regcred-pg")} ` +
    `(PostgreSQL); target ≥ 50 %; ${share("next-404")}  load average ${loadAverage()}`,
);
stopAll();
for (const c of cleanups.reverse()) await c();
if (process.env.BENCH_CPU_PROF) {
  const dir = path.resolve(process.env.BENCH_CPU_PROF);
  await new Promise((r) => setTimeout(r, 3000));
  const newest = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  console.log(`CPU profile of the Regcred server on PGlite: ${newest ?? `none written in ${dir}`}`);
  for (const phase of ["regcred", "next-404"] as const) {
    if (!newest) break;
    const { samples, buckets } = summariseCpuProfile(newest, windows[phase]);
    console.log(`  where the server's CPU went while loaded with ${phase} (${samples} samples):`);
    for (const b of buckets.slice(0, 10)) console.log(`    ${(b.share * 100).toFixed(1).padStart(5)} %  ${b.bucket}`);
  }
}
fs.rmSync(runDir, { recursive: true, force: true });

// ESO's aws-sdk-go v1 has no ECR endpoint override: it dials https://api.ecr.<region>.amazonaws.com. Here that
// name resolves (through ESO's own /etc/hosts, see eso.ts) to a loopback address where a TLS front with a
// certificate of a throw-away CA forwards every request, Host header unchanged, to moto. Mints are counted by
// moto's own recorder (MOTO_ENABLE_RECORDING), never here.
import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";

export const ECR_API_HOST = "api.ecr.us-east-1.amazonaws.com";
const GET_TOKEN = "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken";

export type MotoFront = { address: string; caFile: string; hostsFile: string; close: () => Promise<void> };

function mintCertificates(dir: string): { ca: string; cert: string; key: string } {
  const p = (f: string) => path.join(dir, f);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  execFileSync(
    "openssl",
    ["req", "-x509", ...ec, "-keyout", p("ca.key"), "-out", p("ca.crt"), "-subj", "/CN=eso-bench-ca", "-days", "2"],
    { stdio: "ignore" },
  );
  execFileSync(
    "openssl",
    ["req", "-new", ...ec, "-keyout", p("ecr.key"), "-out", p("ecr.csr"), "-subj", `/CN=${ECR_API_HOST}`],
    { stdio: "ignore" },
  );
  fs.writeFileSync(p("ecr.ext"), `subjectAltName=DNS:${ECR_API_HOST}\nextendedKeyUsage=serverAuth\n`);
  execFileSync(
    "openssl",
    [
      "x509",
      "-req",
      "-in",
      p("ecr.csr"),
      "-CA",
      p("ca.crt"),
      "-CAkey",
      p("ca.key"),
      "-CAcreateserial",
      "-days",
      "2",
      "-out",
      p("ecr.crt"),
      "-extfile",
      p("ecr.ext"),
    ],
    { stdio: "ignore" },
  );
  return { ca: p("ca.crt"), cert: fs.readFileSync(p("ecr.crt"), "utf8"), key: fs.readFileSync(p("ecr.key"), "utf8") };
}

/** A TLS front for moto on <random 127/8 address>:443, and a hosts file that sends ECR's API name there. */
export async function startMotoFront(motoUrl: string, dir: string): Promise<MotoFront> {
  const { ca, cert, key } = mintCertificates(dir);
  const address = `127.${randomInt(100, 250)}.${randomInt(1, 250)}.${randomInt(1, 250)}`;
  const target = new URL(motoUrl);
  const server = https.createServer({ cert, key }, (req, res) => {
    const up = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(443, address, resolve);
  });
  const hostsFile = path.join(dir, "hosts");
  fs.writeFileSync(hostsFile, `${fs.readFileSync("/etc/hosts", "utf8")}\n${address} ${ECR_API_HOST}\n`);
  return {
    address,
    caFile: ca,
    hostsFile,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** moto's recorder: start (and empty) the recording. */
export async function resetMotoRecording(motoUrl: string): Promise<void> {
  for (const p of ["start-recording", "reset-recording"]) {
    const res = await fetch(`${motoUrl}/moto-api/recorder/${p}`, { method: "POST" });
    if (!res.ok) throw new Error(`moto recorder ${p}: HTTP ${res.status}`);
  }
}

/** GetAuthorizationToken calls moto recorded since the last reset (whoever made them). */
export async function motoMints(motoUrl: string): Promise<number> {
  const res = await fetch(`${motoUrl}/moto-api/recorder/download-recording`);
  if (!res.ok) throw new Error(`moto recorder download: HTTP ${res.status}`);
  let n = 0;
  for (const line of (await res.text()).split("\n")) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as { headers?: Record<string, string> };
    const h = entry.headers ?? {};
    const t = h["X-Amz-Target"] ?? h["x-amz-target"];
    if (t === GET_TOKEN) n += 1;
  }
  return n;
}

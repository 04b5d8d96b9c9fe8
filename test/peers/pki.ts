import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type KeyPair = { certPath: string; keyPath: string; cert: string; key: string };
export type TestPki = {
  dir: string;
  ca: KeyPair;
  /** SAN IP:127.0.0.1, IP:::1, DNS:localhost */
  server: KeyPair;
  /** SAN DNS:wrong-host.regcred.test only: a hostname mismatch for 127.0.0.1 */
  wrongHost: KeyPair;
  /** extendedKeyUsage clientAuth, CN=regcred-webhook-client: what an API server presents to a webhook (mTLS) */
  client: KeyPair;
  /** RSA, for RS256 registry tokens; its x5c chain is [signer, ca] */
  tokenSigner: KeyPair & { chain: string[] };
  remove: () => Promise<void>;
};

const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];

async function read(dir: string, name: string): Promise<KeyPair> {
  const certPath = path.join(dir, `${name}.crt`);
  const keyPath = path.join(dir, `${name}.key`);
  return { certPath, keyPath, cert: await readFile(certPath, "utf8"), key: await readFile(keyPath, "utf8") };
}

async function issue(dir: string, name: string, cn: string, keyArgs: string[], extensions: string[]): Promise<KeyPair> {
  const p = (ext: string) => path.join(dir, `${name}.${ext}`);
  await writeFile(p("ext"), `${extensions.join("\n")}\n`);
  await run("openssl", [
    "req",
    "-new",
    ...keyArgs,
    "-nodes",
    "-keyout",
    p("key"),
    "-out",
    p("csr"),
    "-subj",
    `/CN=${cn}`,
  ]);
  await run("openssl", [
    "x509",
    "-req",
    "-in",
    p("csr"),
    "-CA",
    path.join(dir, "ca.crt"),
    "-CAkey",
    path.join(dir, "ca.key"),
    "-set_serial",
    `0x1${randomBytes(8).toString("hex")}`,
    "-days",
    "3",
    "-out",
    p("crt"),
    "-extfile",
    p("ext"),
  ]);
  return read(dir, name);
}

/** A throw-away CA with a registry certificate, a wrong-hostname certificate and a token-signing certificate (openssl CLI). */
export async function createTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "regcred-pki-"));
  await run("openssl", [
    "req",
    "-x509",
    ...ec,
    "-nodes",
    "-keyout",
    path.join(dir, "ca.key"),
    "-out",
    path.join(dir, "ca.crt"),
    "-days",
    "3",
    "-subj",
    "/CN=Regcred Test CA",
  ]);
  const leaf = (san: string) => [
    "basicConstraints=CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=serverAuth",
    `subjectAltName=${san}`,
  ];
  const [ca, server, wrongHost, signer, client] = await Promise.all([
    read(dir, "ca"),
    issue(dir, "server", "127.0.0.1", ec, leaf("IP:127.0.0.1,IP:::1,DNS:localhost")),
    issue(dir, "wrong-host", "wrong-host.regcred.test", ec, leaf("DNS:wrong-host.regcred.test")),
    issue(
      dir,
      "token-signer",
      "Regcred Test Token Signer",
      ["-newkey", "rsa:2048"],
      ["basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature"],
    ),
    issue(dir, "client", "regcred-webhook-client", ec, [
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=clientAuth",
    ]),
  ]);
  return {
    dir,
    ca,
    server,
    wrongHost,
    client,
    tokenSigner: { ...signer, chain: [signer.cert, ca.cert] },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

import { execFileSync } from "node:child_process";
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadWebhookPki } from "./pki";
import { WebhookCaError } from "./shared-ca";
import { ipBytes } from "./x509";

const dirs: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regcred-pki-"));
  dirs.push(dir);
  return path.join(dir, "webhook");
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const openssl = (args: string[]) => execFileSync("openssl", args, { encoding: "utf8", stdio: "pipe" });

describe("ipBytes", () => {
  it.each([
    ["127.0.0.1", "7f000001"],
    ["::1", "00000000000000000000000000000001"],
    ["fd00::10:1", "fd000000000000000000000000100001"],
    ["::ffff:192.0.2.1", "00000000000000000000ffffc0000201"],
    ["2001:db8:0:0:1:0:0:1", "20010db8000000000001000000000001"],
  ])("%s", (ip, hex) => expect(ipBytes(ip).toString("hex")).toBe(hex));
});

describe("loadWebhookPki", () => {
  it("issues a CA and a serving certificate that Node, OpenSSL and a TLS client accept", async () => {
    const dir = tmp();
    const pki = loadWebhookPki(dir, ["127.0.0.1", "localhost", "regcred.regcred.svc", "::1"]);
    const ca = new X509Certificate(pki.caPem);
    const leaf = new X509Certificate(pki.certPem);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toBe(
      "DNS:localhost, DNS:regcred.regcred.svc, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
    );
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(leaf.checkHost("regcred.regcred.svc")).toBe("regcred.regcred.svc");
    expect(leaf.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);

    if (hasOpenssl) {
      fs.writeFileSync(path.join(dir, "ca.crt"), pki.caPem);
      fs.writeFileSync(path.join(dir, "leaf.crt"), pki.certPem);
      const out = execFileSync(
        "openssl",
        [
          "verify",
          "-purpose",
          "sslserver",
          "-x509_strict",
          "-CAfile",
          path.join(dir, "ca.crt"),
          path.join(dir, "leaf.crt"),
        ],
        { encoding: "utf8" },
      );
      expect(out.trim()).toMatch(/: OK$/);
    }

    const server = https.createServer({ key: pki.keyPem, cert: pki.certPem }, (_req, res) => res.end("hello"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get({ host: "127.0.0.1", port, ca: pki.caPem, path: "/" }, (res) => {
            let text = "";
            res.on("data", (c) => (text += c));
            res.on("end", () => resolve(text));
          })
          .on("error", reject);
      });
      expect(body).toBe("hello");
    } finally {
      server.close();
    }
  });

  it("keeps the CA and certificate across loads, stores them 0600, and re-issues only the certificate when names change", () => {
    const dir = tmp();
    const first = loadWebhookPki(dir, ["127.0.0.1", "localhost"]);
    const again = loadWebhookPki(dir, ["127.0.0.1", "localhost"]);
    expect(again).toEqual(first);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).sort()).toEqual(["ca.pem", "tls.pem"]);

    const moved = loadWebhookPki(dir, ["127.0.0.1", "localhost", "webhook.example.com"]);
    expect(moved.caPem).toBe(first.caPem);
    expect(moved.certPem).not.toBe(first.certPem);
    expect(new X509Certificate(moved.certPem).checkHost("webhook.example.com")).toBe("webhook.example.com");
  });

  it("renews the serving certificate near its expiry, and the CA only within its last year", () => {
    const dir = tmp();
    const now = new Date("2026-01-01T00:00:00Z");
    const first = loadWebhookPki(dir, ["127.0.0.1"], { now });
    const later = loadWebhookPki(dir, ["127.0.0.1"], { now: new Date("2026-12-15T00:00:00Z") });
    expect(later.caPem).toBe(first.caPem);
    expect(later.certPem).not.toBe(first.certPem);
    const decade = loadWebhookPki(dir, ["127.0.0.1"], { now: new Date("2035-06-01T00:00:00Z") });
    expect(decade.caPem).not.toBe(first.caPem);
    expect(new X509Certificate(decade.certPem).checkIssued(new X509Certificate(decade.caPem))).toBe(true);
  });

  it("replaces unreadable files", () => {
    const dir = tmp();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "ca.pem"), "garbage", { mode: 0o600 });
    const pki = loadWebhookPki(dir, ["127.0.0.1"]);
    expect(new X509Certificate(pki.caPem).ca).toBe(true);
  });
});

type KeyKind = "p256-sec1" | "p256-pkcs8" | "p384" | "rsa";

function keyPem(kind: KeyKind): string {
  if (kind === "rsa")
    return generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: kind === "p384" ? "P-384" : "P-256" });
  return privateKey.export({ type: kind === "p256-sec1" ? "sec1" : "pkcs8", format: "pem" }).toString();
}

/**
 * A CA made outside Regcred the way Helm's genCAWithKey makes one: CN only, no authorityKeyIdentifier, and a
 * subjectKeyIdentifier that is not SHA-1 of the key (Go 1.25+ uses truncated SHA-256), so an issued certificate
 * must copy it rather than compute its own.
 */
function externalCa(kind: KeyKind, opts: { ca?: boolean; days?: number } = {}): string {
  const dir = path.dirname(tmp());
  const caDir = path.join(dir, "ca");
  fs.mkdirSync(caDir);
  fs.writeFileSync(path.join(caDir, "tls.key"), keyPem(kind), { mode: 0o600 });
  openssl([
    "req",
    "-x509",
    "-new",
    "-key",
    path.join(caDir, "tls.key"),
    "-subj",
    "/CN=regcred-webhook-ca",
    "-days",
    String(opts.days ?? 3650),
    "-addext",
    `basicConstraints=critical,CA:${opts.ca === false ? "FALSE" : "TRUE"}`,
    "-addext",
    "keyUsage=critical,keyCertSign,digitalSignature",
    "-addext",
    "subjectKeyIdentifier=a1b2c3d4e5f60718293a4b5c6d7e8f9001020304",
    "-addext",
    "authorityKeyIdentifier=none",
    "-out",
    path.join(caDir, "tls.crt"),
  ]);
  return caDir;
}

function verifies(caPem: string, leafPem: string): string {
  const dir = path.dirname(tmp());
  fs.writeFileSync(path.join(dir, "ca.crt"), caPem);
  fs.writeFileSync(path.join(dir, "leaf.crt"), leafPem);
  return openssl([
    "verify",
    "-purpose",
    "sslserver",
    "-x509_strict",
    "-CAfile",
    path.join(dir, "ca.crt"),
    path.join(dir, "leaf.crt"),
  ]).trim();
}

describe("loadWebhookPki with a shared CA (REGCRED_WEBHOOK_CA_DIR)", () => {
  it.each<KeyKind>(["p256-sec1", "p256-pkcs8"])(
    "a %s CA: two replicas with their own data dirs serve certificates of that CA, which writes nothing to the CA dir",
    (kind) => {
      expect(hasOpenssl).toBe(true);
      const caDir = externalCa(kind);
      const before = fs.readdirSync(caDir).sort();
      const a = loadWebhookPki(tmp(), ["127.0.0.1", "regcred.regcred.svc"], { caDir });
      const b = loadWebhookPki(tmp(), ["127.0.0.1", "regcred.regcred.svc"], { caDir });
      const caPem = fs.readFileSync(path.join(caDir, "tls.crt"), "utf8");
      expect(a.caPem).toBe(caPem);
      expect(b.caPem).toBe(caPem);
      expect(a.keyPem).not.toBe(b.keyPem);
      // OpenSSL's strict check also compares the leaf's authorityKeyIdentifier with the CA's subjectKeyIdentifier.
      expect(verifies(caPem, a.certPem)).toMatch(/: OK$/);
      expect(verifies(caPem, b.certPem)).toMatch(/: OK$/);
      expect(openssl(["x509", "-noout", "-text", "-in", path.join(caDir, "tls.crt")])).toContain("A1:B2:C3:D4");
      expect(new X509Certificate(a.certPem).issuer).toBe("CN=regcred-webhook-ca");
      expect(fs.readdirSync(caDir).sort()).toEqual(before);
    },
  );

  it("re-issues the serving certificate when the shared CA is replaced, and never renews the CA itself", () => {
    const dataDir = tmp();
    const first = externalCa("p256-sec1");
    const a = loadWebhookPki(dataDir, ["127.0.0.1"], { caDir: first });
    expect(fs.readdirSync(dataDir)).toEqual(["tls.pem"]);
    const second = externalCa("p256-pkcs8");
    const b = loadWebhookPki(dataDir, ["127.0.0.1"], { caDir: second });
    expect(b.caPem).not.toBe(a.caPem);
    expect(verifies(b.caPem, b.certPem)).toMatch(/: OK$/);
    // Within the CA's last year a generated CA would be replaced; a shared one is used as it is, and the serving
    // certificate ends with it.
    const late = new Date(Date.now() + 3500 * 86_400_000);
    const c = loadWebhookPki(dataDir, ["127.0.0.1"], { caDir: second, now: late });
    expect(c.caPem).toBe(b.caPem);
    expect(new Date(new X509Certificate(c.certPem).validTo).getTime()).toBeLessThanOrEqual(
      new Date(new X509Certificate(c.caPem).validTo).getTime(),
    );
  });

  const cases: Array<[string, () => string, RegExp, Date?]> = [
    ["a directory that does not exist", () => path.join(path.dirname(tmp()), "nowhere"), /tls\.crt is missing/],
    [
      "a missing key",
      () => {
        const d = externalCa("p256-sec1");
        fs.rmSync(path.join(d, "tls.key"));
        return d;
      },
      /tls\.key is missing/,
    ],
    [
      "an unreadable certificate",
      () => {
        const d = externalCa("p256-sec1");
        fs.rmSync(path.join(d, "tls.crt"));
        fs.mkdirSync(path.join(d, "tls.crt"));
        return d;
      },
      /tls\.crt cannot be read \(EISDIR\)/,
    ],
    [
      "a certificate that is not PEM",
      () => {
        const d = externalCa("p256-sec1");
        fs.writeFileSync(path.join(d, "tls.crt"), "garbage");
        return d;
      },
      /tls\.crt holds no PEM certificate/,
    ],
    ["a certificate that is not a CA", () => externalCa("p256-sec1", { ca: false }), /not a CA certificate/],
    [
      "an expired CA",
      () => externalCa("p256-sec1", { days: 1 }),
      /the CA certificate expired on/,
      new Date(Date.now() + 3 * 86_400_000),
    ],
    ["an RSA key", () => externalCa("rsa"), /must be an ECDSA P-256 key, not an RSA key \(2048 bits\)/],
    ["a P-384 key", () => externalCa("p384"), /must be an ECDSA P-256 key, not an EC key on secp384r1/],
    [
      "a key that is not PEM",
      () => {
        const d = externalCa("p256-sec1");
        fs.writeFileSync(path.join(d, "tls.key"), "not a key");
        return d;
      },
      /tls\.key is not a PEM private key/,
    ],
    [
      "the key of another certificate",
      () => {
        const d = externalCa("p256-sec1");
        fs.writeFileSync(path.join(d, "tls.key"), keyPem("p256-pkcs8"));
        return d;
      },
      /tls\.key is not the private key of the certificate in tls\.crt/,
    ],
  ];
  it.each(cases)("%s is refused with an error naming REGCRED_WEBHOOK_CA_DIR", (_name, make, message, now) => {
    const caDir = make();
    let thrown: unknown;
    try {
      loadWebhookPki(tmp(), ["127.0.0.1"], { caDir, now });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(WebhookCaError);
    expect((thrown as Error).message).toMatch(/^REGCRED_WEBHOOK_CA_DIR: /);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain("-----BEGIN");
  });
});

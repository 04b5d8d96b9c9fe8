import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadWebhookPki } from "./pki";
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
    const first = loadWebhookPki(dir, ["127.0.0.1"], now);
    const later = loadWebhookPki(dir, ["127.0.0.1"], new Date("2026-12-15T00:00:00Z"));
    expect(later.caPem).toBe(first.caPem);
    expect(later.certPem).not.toBe(first.certPem);
    const decade = loadWebhookPki(dir, ["127.0.0.1"], new Date("2035-06-01T00:00:00Z"));
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

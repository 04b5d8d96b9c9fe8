import { createHash, type KeyObject, randomBytes, sign } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import * as D from "./der";

// Node can parse and verify X.509 but not issue it; ECDSA P-256 certificates are simple enough to build by hand.
const OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  subjectKeyId: "2.5.29.14",
  authorityKeyId: "2.5.29.35",
  serverAuth: "1.3.6.1.5.5.7.3.1",
};

export type CertificateSpec = {
  commonName: string;
  /** The certified key (EC P-256). */
  publicKey: KeyObject;
  /**
   * Who signs: the CA's name and public key; omitted for a self-signed certificate (then `signingKey` is the
   * subject's own). A CA made elsewhere gives its subject as DER and its subjectKeyIdentifier, which the issued
   * certificate must repeat byte for byte.
   */
  issuer?: { commonName: string; publicKey: KeyObject; subjectDer?: Buffer; keyId?: Buffer };
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  serial?: Buffer;
};

function name(commonName: string): D.Der {
  const rdn = (type: string, value: string) => D.set(D.sequence(D.oid(type), D.utf8String(value)));
  return D.sequence(rdn(OID.organization, "regcred"), rdn(OID.commonName, commonName));
}

/** RFC 5280 key identifier (method 1): SHA-1 of the subjectPublicKey bits, i.e. the uncompressed EC point. */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: "jwk" });
  if (jwk.kty !== "EC" || !jwk.x || !jwk.y) throw new Error("only EC keys are supported");
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
  return createHash("sha1").update(point).digest();
}

/** 4 bytes for IPv4, 16 for IPv6 (`::` expanded, a trailing dotted quad allowed). */
export function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split(".").map(Number));
  if (!isIPv6(ip)) throw new Error(`not an IP address: ${ip}`);
  const bare = ip.replace(/%.*$/, "");
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  const hex = tail
    ? bare.slice(0, -tail[1]!.length) +
      ipBytes(tail[1]!)
        .toString("hex")
        .replace(/(.{4})(.{4})/, "$1:$2")
    : bare;
  const [head, rest] = hex.split("::") as [string, string | undefined];
  const groups = (s: string | undefined) => (s ? s.split(":").filter(Boolean) : []);
  const left = groups(head);
  const right = groups(rest);
  const all =
    rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return Buffer.from(all.map((g) => g.padStart(4, "0")).join(""), "hex");
}

function extension(id: string, critical: boolean, value: D.Der): D.Der {
  return D.sequence(D.oid(id), ...(critical ? [D.boolean(true)] : []), D.octetString(value));
}

function extensions(spec: CertificateSpec): D.Der {
  const issuerKeyId = spec.issuer?.keyId ?? keyIdentifier(spec.issuer?.publicKey ?? spec.publicKey);
  const list = [
    extension(OID.basicConstraints, true, spec.isCa ? D.sequence(D.boolean(true)) : D.sequence()),
    // CA: digitalSignature, keyCertSign, cRLSign; leaf: digitalSignature (ECDHE key exchange signs).
    extension(OID.keyUsage, true, D.namedBits(spec.isCa ? [0, 5, 6] : [0])),
    extension(OID.subjectKeyId, false, D.octetString(keyIdentifier(spec.publicKey))),
    extension(OID.authorityKeyId, false, D.sequence(D.implicit(0, issuerKeyId))),
  ];
  if (!spec.isCa) list.push(extension(OID.extKeyUsage, false, D.sequence(D.oid(OID.serverAuth))));
  const sans = [
    ...(spec.dnsNames ?? []).map((n) => D.implicit(2, Buffer.from(n, "ascii"))),
    ...(spec.ipAddresses ?? []).map((ip) => D.implicit(7, ipBytes(ip))),
  ];
  if (sans.length > 0) list.push(extension(OID.subjectAltName, false, D.sequence(...sans)));
  return D.explicit(3, D.sequence(...list));
}

function toPem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** An X.509 v3 certificate (PEM) signed with ECDSA-SHA256. */
export function issueCertificate(spec: CertificateSpec): string {
  const algorithm = D.sequence(D.oid(OID.ecdsaWithSha256));
  const serial = spec.serial ?? randomBytes(16);
  serial[0]! &= 0x7f;
  const tbs = D.sequence(
    D.explicit(0, D.integer(Buffer.from([2]))),
    D.integer(serial),
    algorithm,
    spec.issuer?.subjectDer ?? name(spec.issuer?.commonName ?? spec.commonName),
    D.sequence(D.time(spec.notBefore), D.time(spec.notAfter)),
    name(spec.commonName),
    spec.publicKey.export({ type: "spki", format: "der" }),
    extensions(spec),
  );
  const signature = sign("sha256", tbs, { key: spec.signingKey, dsaEncoding: "der" });
  return toPem(D.sequence(tbs, algorithm, D.bitString(signature)));
}

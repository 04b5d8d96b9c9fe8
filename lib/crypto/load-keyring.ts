import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Env } from "../env";
import { createKeyring, decodeKey, decodeKeyList, type Keyring } from "./secret-box";

function loadKey(dataDir: string, configured: string | undefined): Buffer {
  if (configured) return decodeKey(configured);
  const file = path.join(dataDir, "encryption.key");
  if (fs.existsSync(file)) return decodeKey(fs.readFileSync(file, "utf8"));
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  fs.writeFileSync(file, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  return key;
}

/** REGCRED_ENCRYPTION_KEY (else the data dir's generated key) seals; REGCRED_ENCRYPTION_KEYS only open. */
export function keyringFromEnv(e: Env): Keyring {
  return createKeyring(loadKey(e.dataDir, e.REGCRED_ENCRYPTION_KEY), decodeKeyList(e.REGCRED_ENCRYPTION_KEYS));
}

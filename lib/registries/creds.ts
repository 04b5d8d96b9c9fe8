import "server-only";
import { registryCredsAad } from "../crypto/aad";
import { type Keyring, open, seal } from "../crypto/secret-box";
import type { RegistryRow } from "./repo";

/** A registry's credentials as stored (sealed, bound to the org and registry id). */
export type StoredCreds = { username?: string; password?: string; expires?: string };

/** Opens a registry's stored credentials; null when none are stored. Throws when the keyring cannot open them. */
export function openCreds(
  keyring: Keyring,
  row: Pick<RegistryRow, "orgId" | "id" | "credsSealed">,
): StoredCreds | null {
  return row.credsSealed
    ? (JSON.parse(open(keyring, row.credsSealed, registryCredsAad(row.orgId, row.id))) as StoredCreds)
    : null;
}

/** Seals credentials for one registry; null when there is nothing to store. */
export function sealCreds(keyring: Keyring, orgId: string, id: string, creds: StoredCreds | null): string | null {
  if (!creds || (!creds.username && !creds.password)) return null;
  return seal(keyring, JSON.stringify(creds), registryCredsAad(orgId, id));
}

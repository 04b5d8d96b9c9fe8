import "server-only";
import type { Db } from "@/db/client";
import { type Keyring, open, seal, sealedKeyId } from "./secret-box";
import { type SealedColumn, sealedColumns } from "./sealed-columns";

/** `orgId` limits the work to one org (tests on a shared database); the command covers every org. */
export type ResealScope = { orgId?: string };

export type ResealCount = { column: string; resealed: number; alreadyCurrent: number };
/** Sealed values whose key is not in the keyring, per column and key id. */
export type MissingKey = { column: string; keyId: string; count: number };
export type ResealResult =
  | { ok: true; counts: ResealCount[] }
  | { ok: false; missing: MissingKey[] }
  | { ok: false; column: string; rowId: string; reason: string };

class ResealAbort extends Error {
  constructor(
    readonly column: string,
    readonly rowId: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Which sealed values no key of the keyring can open (by key id; nothing is decrypted). */
export async function findMissingKeys(db: Db, keyring: Keyring, scope: ResealScope = {}): Promise<MissingKey[]> {
  const missing = new Map<string, MissingKey>();
  for (const column of sealedColumns) {
    for (const cell of await column.list(db, scope.orgId)) {
      const keyId = sealedKeyId(cell.sealed) ?? "unknown-format";
      if (keyring.keys.has(keyId)) continue;
      const entry = missing.get(`${column.name} ${keyId}`) ?? { column: column.name, keyId, count: 0 };
      entry.count += 1;
      missing.set(`${column.name} ${keyId}`, entry);
    }
  }
  return [...missing.values()];
}

export function describeMissingKeys(missing: MissingKey[]): string {
  const parts = missing.map((m) => `${m.count} in ${m.column} sealed with key id ${m.keyId}`);
  return `Sealed values cannot be decrypted with the configured keys: ${parts.join("; ")}. Set REGCRED_ENCRYPTION_KEYS to the key(s) they were sealed with (decrypt only), then run scripts/reseal.sh.`;
}

/** Re-seals every sealed value with the keyring's current key in one transaction; values already current are left alone. */
export async function resealAll(db: Db, keyring: Keyring, scope: ResealScope = {}): Promise<ResealResult> {
  const missing = await findMissingKeys(db, keyring, scope);
  if (missing.length > 0) return { ok: false, missing };
  try {
    const counts = await db.transaction(async (tx) => {
      const out: ResealCount[] = [];
      for (const column of sealedColumns) out.push(await resealColumn(tx as unknown as Db, keyring, column, scope));
      return out;
    });
    return { ok: true, counts };
  } catch (err) {
    if (err instanceof ResealAbort) return { ok: false, column: err.column, rowId: err.rowId, reason: err.reason };
    throw err;
  }
}

async function resealColumn(db: Db, keyring: Keyring, column: SealedColumn, scope: ResealScope): Promise<ResealCount> {
  const count: ResealCount = { column: column.name, resealed: 0, alreadyCurrent: 0 };
  for (const cell of await column.list(db, scope.orgId)) {
    if (sealedKeyId(cell.sealed) === keyring.current) {
      count.alreadyCurrent += 1;
      continue;
    }
    let plaintext: string;
    try {
      plaintext = open(keyring, cell.sealed, cell.aad);
    } catch {
      // The cause is not shown: only "the tag did not verify" or "unknown key" can happen, and neither carries a secret.
      throw new ResealAbort(
        column.name,
        cell.rowId,
        "the value does not open with its key (wrong key, or copied from another row)",
      );
    }
    if (!(await column.replace(db, cell.rowId, cell.sealed, seal(keyring, plaintext, cell.aad)))) {
      throw new ResealAbort(column.name, cell.rowId, "the value changed while re-sealing; run the command again");
    }
    count.resealed += 1;
  }
  return count;
}

// Re-seals every stored credential, kubeconfig and webhook token with the current REGCRED_ENCRYPTION_KEY:
// `scripts/reseal.sh` runs this file with tsx on Node 24 with `--conditions=react-server`.
// Prints counts and key ids only, never a value.
import { openDatabase } from "@/db/client";
import { keyringFromEnv } from "@/lib/crypto/load-keyring";
import { describeMissingKeys, resealAll } from "@/lib/crypto/reseal";
import { EnvError, env } from "@/lib/env";

async function main(): Promise<number> {
  let config;
  try {
    config = env();
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    process.stderr.write(`${err.message}\nNothing was re-sealed: fix the variables above.\n`);
    return 1;
  }
  const keyring = keyringFromEnv(config);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.dataDir });
  try {
    const result = await resealAll(database.db, keyring);
    if (!result.ok && "missing" in result) {
      process.stderr.write(`${describeMissingKeys(result.missing)}\nNothing was re-sealed.\n`);
      return 1;
    }
    if (!result.ok) {
      process.stderr.write(
        `${result.column} of ${result.rowId}: ${result.reason}.\nNothing was re-sealed (the transaction was rolled back).\n`,
      );
      return 1;
    }
    process.stdout.write(`Re-sealed with key id ${keyring.current}:\n`);
    for (const c of result.counts)
      process.stdout.write(`  ${c.column}: ${c.resealed} re-sealed, ${c.alreadyCurrent} already current\n`);
    const total = result.counts.reduce((n, c) => n + c.resealed, 0);
    process.stdout.write(
      total === 0
        ? "Nothing to do: every value already uses the current key.\n"
        : `Done: ${total} re-sealed. REGCRED_ENCRYPTION_KEYS can now be removed.\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // The error's message is not printed: a driver error may quote a value.
    process.stderr.write(`reseal failed: ${err instanceof Error ? err.name : "unknown error"}\n`);
    process.exit(1);
  },
);

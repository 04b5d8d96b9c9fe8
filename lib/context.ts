import type { Db } from "@/db/client";
import type { Actor } from "./auth/actor";
import type { Keyring } from "./crypto/secret-box";

/** What every use case runs with: the database, the keyring that opens sealed values, and who is acting. */
export type Ctx = { db: Db; keyring: Keyring; actor: Actor };

import { randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "@/db/client";
import { clusters, clusterSync, registries } from "@/db/schema";
import { connectionOf } from "@/lib/clusters/client";
import { findClusterRow } from "@/lib/clusters/repo";
import { kubeconfigAad, webhookTokenAad } from "@/lib/crypto/aad";
import { findMissingKeys, resealAll } from "@/lib/crypto/reseal";
import { createKeyring, type Keyring, open, seal, sealedKeyId } from "@/lib/crypto/secret-box";
import { findRegistryRow } from "@/lib/registries/repo";
import { createRegistry } from "@/lib/registries/service";
import { openCreds } from "@/lib/registries/creds";
import { actorFor, backends, createOrg } from "../helpers/db";

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const onlyA = createKeyring(keyA);
const bWithA = createKeyring(keyB, [keyA]);
const onlyB = createKeyring(keyB);
const kubeconfig = JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [], users: [], contexts: [] });

async function seedOrg(
  db: Db,
  keyring: Keyring,
): Promise<{ orgId: string; clusterId: string; password: string; webhookToken: string }> {
  const orgId = await createOrg(db, "reseal");
  const password = `pw-${randomBytes(8).toString("hex")}`;
  const webhookToken = `wt-${randomBytes(8).toString("hex")}`;
  await createRegistry(
    { db, keyring, actor: actorFor(orgId, "admin") },
    {
      id: "rotated",
      registry: `${orgId}.example.com`,
      type: "basic",
      enable_ci: false,
      creds: { username: "robot", password },
    },
  );
  const clusterId = randomUUID();
  await db.insert(clusters).values({
    id: clusterId,
    orgId,
    name: "rotated",
    source: "kubeconfig",
    server: "https://127.0.0.1:1",
    contextName: "c",
    authKind: "token",
    kubeconfigSealed: seal(keyring, kubeconfig, kubeconfigAad(orgId, clusterId)),
    excludeNamespaces: [],
    createdBy: "test",
  });
  await db.insert(clusterSync).values({
    clusterId,
    orgId,
    webhookAuth: "token",
    webhookTokenSealed: seal(keyring, webhookToken, webhookTokenAad(orgId, clusterId)),
  });
  return { orgId, clusterId, password, webhookToken };
}

async function expectOpens(db: Db, keyring: Keyring, seeded: Awaited<ReturnType<typeof seedOrg>>): Promise<void> {
  expect(openCreds(keyring, (await findRegistryRow(db, seeded.orgId, "rotated"))!)?.password).toBe(seeded.password);
  expect(connectionOf(keyring, (await findClusterRow(db, seeded.orgId, seeded.clusterId))!)).toEqual({
    kind: "kubeconfig",
    kubeconfig,
  });
  const [sync] = await db.select().from(clusterSync).where(eq(clusterSync.clusterId, seeded.clusterId));
  expect(open(keyring, sync!.webhookTokenSealed!, webhookTokenAad(seeded.orgId, seeded.clusterId))).toBe(
    seeded.webhookToken,
  );
}

async function keyIdsOf(db: Db, orgId: string): Promise<Array<string | null>> {
  const [registry] = await db.select({ s: registries.credsSealed }).from(registries).where(eq(registries.orgId, orgId));
  const [cluster] = await db.select({ s: clusters.kubeconfigSealed }).from(clusters).where(eq(clusters.orgId, orgId));
  const [sync] = await db
    .select({ s: clusterSync.webhookTokenSealed })
    .from(clusterSync)
    .where(eq(clusterSync.orgId, orgId));
  return [registry!.s, cluster!.s, sync!.s].map((s) => sealedKeyId(s!));
}

describe.each(backends)("re-sealing on $name", (backend) => {
  let database: Database;
  let db: Db;

  beforeAll(async () => {
    database = await backend.open();
    db = database.db;
  });

  afterAll(async () => {
    await database?.close();
  });

  it("old keys decrypt; resealAll moves every column to the current key, idempotently; then the old key alone is reported missing", async () => {
    const seeded = await seedOrg(db, onlyA);
    const scope = { orgId: seeded.orgId };
    expect(await findMissingKeys(db, bWithA, scope)).toEqual([]);
    await expectOpens(db, bWithA, seeded);

    const first = await resealAll(db, bWithA, scope);
    expect(first).toEqual({
      ok: true,
      counts: [
        { column: "registries.creds_sealed", resealed: 1, alreadyCurrent: 0 },
        { column: "clusters.kubeconfig_sealed", resealed: 1, alreadyCurrent: 0 },
        { column: "cluster_sync.webhook_token_sealed", resealed: 1, alreadyCurrent: 0 },
      ],
    });
    expect(await keyIdsOf(db, seeded.orgId)).toEqual([bWithA.current, bWithA.current, bWithA.current]);
    const second = await resealAll(db, bWithA, scope);
    expect(second.ok && second.counts.map((c) => [c.resealed, c.alreadyCurrent])).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
    ]);

    await expectOpens(db, onlyB, seeded);
    expect(await findMissingKeys(db, onlyA, scope)).toEqual([
      { column: "registries.creds_sealed", keyId: onlyB.current, count: 1 },
      { column: "clusters.kubeconfig_sealed", keyId: onlyB.current, count: 1 },
      { column: "cluster_sync.webhook_token_sealed", keyId: onlyB.current, count: 1 },
    ]);
    const row = (await findRegistryRow(db, seeded.orgId, "rotated"))!;
    expect(() => openCreds(onlyA, row)).toThrow(
      `key id ${onlyB.current}, which is neither REGCRED_ENCRYPTION_KEY nor in REGCRED_ENCRYPTION_KEYS`,
    );
    expect(await resealAll(db, onlyA, scope)).toMatchObject({ ok: false, missing: expect.any(Array) });
  });

  it("a value that does not open (copied from another row) stops the reseal and rolls every column back", async () => {
    const seeded = await seedOrg(db, onlyA);
    const [sync] = await db.select().from(clusterSync).where(eq(clusterSync.clusterId, seeded.clusterId));
    // The webhook token's ciphertext moved to the kubeconfig column: same key, wrong AAD.
    await db
      .update(clusters)
      .set({ kubeconfigSealed: sync!.webhookTokenSealed })
      .where(eq(clusters.id, seeded.clusterId));
    const result = await resealAll(db, bWithA, { orgId: seeded.orgId });
    expect(result).toEqual({
      ok: false,
      column: "clusters.kubeconfig_sealed",
      rowId: `${seeded.orgId}/${seeded.clusterId}`,
      reason: expect.stringMatching(/does not open/),
    });
    expect(JSON.stringify(result)).not.toContain(seeded.webhookToken);
    expect(await keyIdsOf(db, seeded.orgId)).toEqual([onlyA.current, onlyA.current, onlyA.current]);
  });
});

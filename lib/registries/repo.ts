import "server-only";
import { and, asc, eq, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { registries } from "@/db/schema";
import type { RegistryResponse, RegistryType } from "./schema";

export type RegistryRow = typeof registries.$inferSelect;

export type RegistryView = {
  id: string;
  registry: string;
  type: RegistryType;
  enableCi: boolean;
  secrets: Record<string, { namespace: string; secret: string }> | null;
  region: string | null;
  hasCredentials: boolean;
  hasCaCert: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  lastCheck: RegistryRow["lastCheck"];
};

export function toView(row: RegistryRow): RegistryView {
  return {
    id: row.id,
    registry: row.registry,
    type: row.type,
    enableCi: row.enableCi,
    secrets: row.secrets ?? null,
    region: row.region,
    hasCredentials: row.credsSealed !== null,
    hasCaCert: row.caCert !== null,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    updatedAt: row.updatedAt.toISOString(),
    lastCheck: row.lastCheck ?? null,
  };
}

export function toResponse(row: RegistryRow): RegistryResponse {
  return {
    id: row.id,
    registry: row.registry,
    type: row.type,
    enable_ci: row.enableCi,
    ...(row.secrets ? { secrets: row.secrets } : {}),
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
  };
}

export async function listRegistryRows(db: Db, orgId: string): Promise<RegistryRow[]> {
  return db.select().from(registries).where(eq(registries.orgId, orgId)).orderBy(asc(registries.id));
}

export async function findRegistryRow(db: Db, orgId: string, id: string): Promise<RegistryRow | null> {
  const [row] = await db
    .select()
    .from(registries)
    .where(and(eq(registries.orgId, orgId), eq(registries.id, id)))
    .limit(1);
  return row ?? null;
}

export async function findClash(db: Db, orgId: string, id: string | null, registry: string) {
  const byId = id ? eq(registries.id, id) : undefined;
  const [row] = await db
    .select({ id: registries.id, registry: registries.registry })
    .from(registries)
    .where(
      and(
        eq(registries.orgId, orgId),
        byId ? or(byId, eq(registries.registry, registry)) : eq(registries.registry, registry),
      ),
    )
    .limit(1);
  return row ?? null;
}

export async function insertRegistryRow(db: Db, values: typeof registries.$inferInsert): Promise<RegistryRow> {
  const [row] = await db.insert(registries).values(values).returning();
  return row!;
}

export async function updateRegistryRow(
  db: Db,
  orgId: string,
  id: string,
  values: Partial<typeof registries.$inferInsert>,
): Promise<RegistryRow> {
  const [row] = await db
    .update(registries)
    .set(values)
    .where(and(eq(registries.orgId, orgId), eq(registries.id, id)))
    .returning();
  return row!;
}

export async function deleteRegistryRow(db: Db, orgId: string, id: string): Promise<void> {
  await db.delete(registries).where(and(eq(registries.orgId, orgId), eq(registries.id, id)));
}

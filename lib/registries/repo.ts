import "server-only";
import { and, asc, eq, getTableColumns, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orgs, registries } from "@/db/schema";
import type { RegistryResponse, RegistryType } from "./schema";

/** The org's keyless-ECR settings: its external ID and whether it may use the server's AWS identity. */
export type OrgAws = { externalId: string; defaultChain: boolean };

/** A registry as stored; rows read by listRegistryRows / findRegistryRow also carry their org's AWS settings. */
export type RegistryRow = typeof registries.$inferSelect & { orgAws?: OrgAws };

export type RegistryView = {
  id: string;
  registry: string;
  type: RegistryType;
  enableCi: boolean;
  secrets: Record<string, { namespace: string; secret: string }> | null;
  region: string | null;
  hasCredentials: boolean;
  hasCaCert: boolean;
  awsRoleArn: string | null;
  awsUseExternalId: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  lastCheck: RegistryRow["lastCheck"];
};

export function toResponse(row: RegistryRow): RegistryResponse {
  return {
    id: row.id,
    registry: row.registry,
    type: row.type,
    enable_ci: row.enableCi,
    ...(row.secrets ? { secrets: row.secrets } : {}),
    ...(row.type === "amazon_ecr" ? { aws_role_arn: row.awsRoleArn, aws_use_external_id: row.awsUseExternalId } : {}),
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
  };
}

const r = registries;
const isoTime = (column: typeof r.createdAt) =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const responseHead = sql`'id', ${r.id}, 'registry', ${r.registry}, 'type', ${r.type}, 'enable_ci', ${r.enableCi}`;
const responseTail = sql`'created_at', ${isoTime(r.createdAt)}, 'created_by', ${r.createdBy}`;
const ecrPart = sql`'aws_role_arn', ${r.awsRoleArn}, 'aws_use_external_id', ${r.awsUseExternalId}`;
const responseObject = (withSecrets: boolean, ecr: boolean) =>
  sql`json_build_object(${sql.join(
    [responseHead, ...(withSecrets ? [sql`'secrets', ${r.secrets}`] : []), ...(ecr ? [ecrPart] : []), responseTail],
    sql`, `,
  )})`;

/**
 * The org's registries as the JSON text of `toResponse` of each row (same keys in the same order), built by
 * the database: the list endpoint sends it as it comes, without decoding every column into objects first.
 */
export async function listRegistriesJson(db: Db, orgId: string): Promise<string> {
  const [row] = await db
    .select({
      json: sql<string>`coalesce(json_agg(case
        when ${r.type} = 'amazon_ecr' and ${r.secrets} is null then ${responseObject(false, true)}
        when ${r.type} = 'amazon_ecr' then ${responseObject(true, true)}
        when ${r.secrets} is null then ${responseObject(false, false)}
        else ${responseObject(true, false)} end
        order by ${r.id}), '[]')::text`,
    })
    .from(r)
    .where(eq(r.orgId, orgId));
  return row?.json ?? "[]";
}

/** The columns of `RegistryView`: whether credentials and a CA are stored, never their sealed text. */
export async function listRegistryViews(db: Db, orgId: string): Promise<RegistryView[]> {
  const rows = await db
    .select({
      id: r.id,
      registry: r.registry,
      type: r.type,
      enableCi: r.enableCi,
      secrets: r.secrets,
      region: r.region,
      hasCredentials: sql<boolean>`${r.credsSealed} is not null`,
      hasCaCert: sql<boolean>`${r.caCert} is not null`,
      awsRoleArn: r.awsRoleArn,
      awsUseExternalId: r.awsUseExternalId,
      createdAt: r.createdAt,
      createdBy: r.createdBy,
      updatedAt: r.updatedAt,
      lastCheck: r.lastCheck,
    })
    .from(r)
    .where(eq(r.orgId, orgId))
    .orderBy(asc(r.id));
  return rows.map((row) => ({
    ...row,
    secrets: row.secrets ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastCheck: row.lastCheck ?? null,
  }));
}

const withOrgAws = {
  ...getTableColumns(registries),
  orgAws: { externalId: orgs.awsExternalId, defaultChain: orgs.awsDefaultChain },
};

export async function listRegistryRows(db: Db, orgId: string): Promise<RegistryRow[]> {
  return db
    .select(withOrgAws)
    .from(registries)
    .innerJoin(orgs, eq(orgs.id, registries.orgId))
    .where(eq(registries.orgId, orgId))
    .orderBy(asc(registries.id));
}

export async function findRegistryRow(db: Db, orgId: string, id: string): Promise<RegistryRow | null> {
  const [row] = await db
    .select(withOrgAws)
    .from(registries)
    .innerJoin(orgs, eq(orgs.id, registries.orgId))
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

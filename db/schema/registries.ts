import { boolean, foreignKey, jsonb, pgTable, primaryKey, text, timestamp, unique } from "drizzle-orm/pg-core";
import { orgs } from "./orgs";

export const registryTypes = ["public", "basic", "amazon_ecr", "google_gcr", "azure_acr", "secret_ref"] as const;

export type SecretRefMap = Record<string, { namespace: string; secret: string }>;

export type StoredCheck = {
  status: "valid" | "invalid" | "unreachable" | "unsupported";
  summary: string;
  checkedAt: string;
};

export const registries = pgTable(
  "registries",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    registry: text("registry").notNull(),
    type: text("type", { enum: registryTypes }).notNull(),
    enableCi: boolean("enable_ci").notNull().default(false),
    secrets: jsonb("secrets").$type<SecretRefMap>(),
    credsSealed: text("creds_sealed"),
    region: text("region"),
    caCert: text("ca_cert"),
    /** amazon_ecr: a role to assume (from the static keys, or from the server's default chain when there are none). */
    awsRoleArn: text("aws_role_arn"),
    /** amazon_ecr: send the org's external ID with AssumeRole. */
    awsUseExternalId: boolean("aws_use_external_id").notNull().default(false),
    lastCheck: jsonb("last_check").$type<StoredCheck>(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), unique("registries_org_registry_uq").on(t.orgId, t.registry)],
);

export const repositoryOutcomes = [
  "ok",
  "wrong_credentials",
  "no_access",
  "denied",
  "not_found",
  "unreachable",
  "error",
] as const;
export type RepositoryOutcome = (typeof repositoryOutcomes)[number];

/** The last check of one repository and reference (tag or digest) with a registry's credentials: a cache with a TTL. */
export const repositoryChecks = pgTable(
  "repository_checks",
  {
    orgId: text("org_id").notNull(),
    registryId: text("registry_id").notNull(),
    /** The repository path on the registry host, e.g. team/app (no host). */
    repository: text("repository").notNull(),
    /** A tag or a digest (sha256:…). */
    reference: text("reference").notNull(),
    outcome: text("outcome", { enum: repositoryOutcomes }).notNull(),
    /** Which step decided: token, manifest, aws, … */
    step: text("step").notNull(),
    /** What was seen, in plain words; never a credential. */
    detail: text("detail").notNull(),
    checkedAt: timestamp("checked_at", { withTimezone: true, precision: 3 }).notNull(),
    freshUntil: timestamp("fresh_until", { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.registryId, t.repository, t.reference] }),
    foreignKey({ columns: [t.orgId, t.registryId], foreignColumns: [registries.orgId, registries.id] })
      .onDelete("cascade")
      .onUpdate("cascade"),
  ],
);

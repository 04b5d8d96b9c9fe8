import { boolean, jsonb, pgTable, primaryKey, text, timestamp, unique } from "drizzle-orm/pg-core";
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
    lastCheck: jsonb("last_check").$type<StoredCheck>(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), unique("registries_org_registry_uq").on(t.orgId, t.registry)],
);

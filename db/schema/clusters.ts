import { boolean, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { orgs } from "./orgs";

export const clusterAuthKinds = ["client-certificate", "token", "basic", "in-cluster"] as const;
export const clusterSources = ["kubeconfig", "in-cluster"] as const;

export type StoredClusterTest = {
  status: "ok" | "degraded" | "unreachable" | "unauthorized";
  version: string | null;
  summary: string;
  missing: Array<{ verb: string; group: string; resource: string; namespace?: string }>;
  testedAt: string;
};

export const clusters = pgTable(
  "clusters",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    source: text("source", { enum: clusterSources }).notNull(),
    server: text("server").notNull(),
    contextName: text("context_name").notNull(),
    authKind: text("auth_kind", { enum: clusterAuthKinds }).notNull(),
    insecureSkipTlsVerify: boolean("insecure_skip_tls_verify").notNull().default(false),
    defaultNamespace: text("default_namespace"),
    kubeconfigSealed: text("kubeconfig_sealed"),
    namespaceSelector: text("namespace_selector"),
    excludeNamespaces: text("exclude_namespaces").array().notNull(),
    /** Namespaces secret_ref registries may copy from (admins set it; empty: secret_ref copies nothing here). */
    secretRefNamespaces: text("secret_ref_namespaces").array().notNull().default([]),
    lastTest: jsonb("last_test").$type<StoredClusterTest>(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [unique("clusters_org_name_uq").on(t.orgId, t.name)],
);

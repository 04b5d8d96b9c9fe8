import { sql } from "drizzle-orm";
import { boolean, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const orgs = pgTable("orgs", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  /** Sent as ExternalId when an ECR registry of this org assumes a role; generated, never chosen by a user. */
  awsExternalId: text("aws_external_id")
    .notNull()
    .default(sql`'regcred-' || replace(gen_random_uuid()::text, '-', '')`),
  /** Whether this org's ECR registries may use the server's own AWS identity (an instance admin's setting). */
  awsDefaultChain: boolean("aws_default_chain").notNull().default(false),
});

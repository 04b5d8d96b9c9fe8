import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** One row: this installation's identity, generated at first start, written on every object it owns in a cluster. */
export const installation = pgTable("installation", {
  id: text("id").primaryKey(),
  createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

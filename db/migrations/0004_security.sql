CREATE TABLE "installation" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clusters" ADD COLUMN "secret_ref_namespaces" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "invite_token_hash" text;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "invite_expires_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "instance_admin" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cluster_sync" ADD COLUMN "webhook_auth" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "cluster_sync" ADD COLUMN "webhook_client_ca" text;--> statement-breakpoint
ALTER TABLE "cluster_sync" ADD COLUMN "webhook_token_sealed" text;--> statement-breakpoint
CREATE INDEX "audit_org_id_idx" ON "audit_log" USING btree ("org_id","id");--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_invite_token_hash_unique" UNIQUE("invite_token_hash");--> statement-breakpoint
-- Upgrade: an invite moves to the user's earliest membership (the one it was issued for).
UPDATE "memberships" m SET "invite_token_hash" = u."invite_token_hash", "invite_expires_at" = u."invite_expires_at"
FROM "users" u
WHERE u."id" = m."user_id" AND u."invite_token_hash" IS NOT NULL AND u."password_hash" IS NULL
  AND m."org_id" = (SELECT m2."org_id" FROM "memberships" m2 WHERE m2."user_id" = u."id" ORDER BY m2."created_at", m2."org_id" LIMIT 1);--> statement-breakpoint
UPDATE "users" SET "invite_token_hash" = NULL, "invite_expires_at" = NULL;--> statement-breakpoint
-- Upgrade: the earliest admin who can sign in becomes the instance admin.
UPDATE "users" SET "instance_admin" = true WHERE "id" = (
  SELECT u."id" FROM "users" u JOIN "memberships" m ON m."user_id" = u."id"
  WHERE m."role" = 'admin' AND u."password_hash" IS NOT NULL ORDER BY u."created_at" LIMIT 1);--> statement-breakpoint
-- Upgrade: existing secret_ref registries keep working, so their source namespaces are allowed where they apply.
UPDATE "clusters" c SET "secret_ref_namespaces" = COALESCE((
  SELECT array_agg(DISTINCT e.value->>'namespace' ORDER BY e.value->>'namespace')
  FROM "registries" r, jsonb_each(r."secrets") e
  WHERE r."org_id" = c."org_id" AND r."type" = 'secret_ref' AND r."secrets" IS NOT NULL
    AND (e.key = '*' OR e.key = c."name") AND e.value->>'namespace' IS NOT NULL), '{}');

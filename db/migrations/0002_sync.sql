CREATE TABLE "cluster_sync" (
	"cluster_id" uuid PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"wiring" text DEFAULT 'serviceaccount' NOT NULL,
	"environment_label" text,
	"last_run_id" uuid,
	"last_sync_at" timestamp (3) with time zone,
	"last_status" text,
	"last_error" text,
	"lease_holder" text,
	"credential_issues" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry_tombstones" (
	"org_id" text NOT NULL,
	"registry_id" text NOT NULL,
	"deleted_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registry_tombstones_org_id_registry_id_pk" PRIMARY KEY("org_id","registry_id")
);
--> statement-breakpoint
CREATE TABLE "sync_namespaces" (
	"cluster_id" uuid NOT NULL,
	"namespace" text NOT NULL,
	"org_id" text NOT NULL,
	"run_id" uuid,
	"synced_at" timestamp (3) with time zone NOT NULL,
	"outcome" text NOT NULL,
	"secrets" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"changed_at" timestamp (3) with time zone,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"conflicts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "sync_namespaces_cluster_id_namespace_pk" PRIMARY KEY("cluster_id","namespace")
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"cluster_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"requested_by" text,
	"instance_id" text,
	"namespaces_total" integer DEFAULT 0 NOT NULL,
	"namespaces_done" integer DEFAULT 0 NOT NULL,
	"summary" jsonb,
	"error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "cluster_sync" ADD CONSTRAINT "cluster_sync_cluster_id_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cluster_sync" ADD CONSTRAINT "cluster_sync_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_tombstones" ADD CONSTRAINT "registry_tombstones_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_namespaces" ADD CONSTRAINT "sync_namespaces_cluster_id_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_cluster_id_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sync_runs_cluster_time_idx" ON "sync_runs" USING btree ("cluster_id","created_at");--> statement-breakpoint
CREATE INDEX "sync_runs_status_idx" ON "sync_runs" USING btree ("status");
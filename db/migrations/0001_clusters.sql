CREATE TABLE "clusters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"server" text NOT NULL,
	"context_name" text NOT NULL,
	"auth_kind" text NOT NULL,
	"insecure_skip_tls_verify" boolean DEFAULT false NOT NULL,
	"default_namespace" text,
	"kubeconfig_sealed" text,
	"namespace_selector" text,
	"exclude_namespaces" text[] NOT NULL,
	"last_test" jsonb,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clusters_org_name_uq" UNIQUE("org_id","name")
);
--> statement-breakpoint
ALTER TABLE "clusters" ADD CONSTRAINT "clusters_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
CREATE TABLE "repository_checks" (
	"org_id" text NOT NULL,
	"registry_id" text NOT NULL,
	"repository" text NOT NULL,
	"reference" text NOT NULL,
	"outcome" text NOT NULL,
	"step" text NOT NULL,
	"detail" text NOT NULL,
	"checked_at" timestamp (3) with time zone NOT NULL,
	"fresh_until" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "repository_checks_org_id_registry_id_repository_reference_pk" PRIMARY KEY("org_id","registry_id","repository","reference")
);
--> statement-breakpoint
ALTER TABLE "orgs" ADD COLUMN "aws_external_id" text DEFAULT 'regcred-' || replace(gen_random_uuid()::text, '-', '') NOT NULL;--> statement-breakpoint
ALTER TABLE "orgs" ADD COLUMN "aws_default_chain" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "registries" ADD COLUMN "aws_role_arn" text;--> statement-breakpoint
ALTER TABLE "registries" ADD COLUMN "aws_use_external_id" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cluster_sync" ADD COLUMN "node_credential_images" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "repository_checks" ADD CONSTRAINT "repository_checks_org_id_registry_id_registries_org_id_id_fk" FOREIGN KEY ("org_id","registry_id") REFERENCES "public"."registries"("org_id","id") ON DELETE cascade ON UPDATE cascade;
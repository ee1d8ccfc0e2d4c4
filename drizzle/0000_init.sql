CREATE TABLE "api_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "corrections" (
	"id" serial PRIMARY KEY NOT NULL,
	"prediction_id" uuid NOT NULL,
	"old_label" text NOT NULL,
	"new_label" text NOT NULL,
	"corrected_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"version" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"image_count" integer NOT NULL,
	"class_counts" jsonb NOT NULL,
	"parent_version" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_aliases" (
	"name" text NOT NULL,
	"alias" text NOT NULL,
	"model_id" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_aliases_name_alias_pk" PRIMARY KEY("name","alias")
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"artifact_path" text NOT NULL,
	"architecture" text NOT NULL,
	"dataset_version" text,
	"split" jsonb,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"code_version" text,
	"training_seconds" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pipeline_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pipeline" text NOT NULL,
	"status" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"metrics" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "predictions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"filename" text NOT NULL,
	"predicted_label" text NOT NULL,
	"confidence" real NOT NULL,
	"all_scores" jsonb NOT NULL,
	"model" text NOT NULL,
	"location" text,
	"source" text,
	"status" text NOT NULL,
	"idempotency_key" text,
	"image_sha256" text NOT NULL,
	"image_bytes" bigint NOT NULL,
	"is_flagged" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "corrections" ADD CONSTRAINT "corrections_prediction_id_predictions_id_fk" FOREIGN KEY ("prediction_id") REFERENCES "public"."predictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_prefix_uq" ON "api_keys" USING btree ("prefix");--> statement-breakpoint
CREATE INDEX "corrections_prediction_idx" ON "corrections" USING btree ("prediction_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "models_name_version_uq" ON "models" USING btree ("name","version");--> statement-breakpoint
CREATE UNIQUE INDEX "predictions_idempotency_key_uq" ON "predictions" USING btree ("idempotency_key") WHERE "predictions"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "predictions_created_at_idx" ON "predictions" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "predictions_label_idx" ON "predictions" USING btree ("predicted_label","created_at");--> statement-breakpoint
CREATE INDEX "predictions_status_idx" ON "predictions" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "predictions_location_idx" ON "predictions" USING btree ("location","created_at");
CREATE TABLE "deleted_scans" (
	"prediction_id" uuid PRIMARY KEY NOT NULL,
	"prediction" jsonb NOT NULL,
	"corrections" jsonb NOT NULL,
	"put_aways" jsonb NOT NULL,
	"deleted_by" text,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "deleted_scans_deleted_at_idx" ON "deleted_scans" USING btree ("deleted_at");
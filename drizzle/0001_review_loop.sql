CREATE TABLE "gate_decisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"candidate_model_id" integer NOT NULL,
	"candidate_ref" text NOT NULL,
	"baseline_ref" text,
	"decision" text NOT NULL,
	"reason" text NOT NULL,
	"candidate_test_accuracy" double precision NOT NULL,
	"baseline_test_accuracy" double precision,
	"candidate_feedback_accuracy" double precision NOT NULL,
	"baseline_feedback_accuracy" double precision,
	"test_count" integer NOT NULL,
	"feedback_count" integer NOT NULL,
	"dataset_version" text NOT NULL,
	"feedback_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "gate_decisions" ADD CONSTRAINT "gate_decisions_candidate_model_id_models_id_fk" FOREIGN KEY ("candidate_model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "gate_decisions_candidate_idx" ON "gate_decisions" USING btree ("candidate_model_id","created_at");--> statement-breakpoint
CREATE INDEX "predictions_flagged_idx" ON "predictions" USING btree ("created_at") WHERE "predictions"."is_flagged";
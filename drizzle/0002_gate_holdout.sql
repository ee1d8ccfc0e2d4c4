ALTER TABLE "gate_decisions" ALTER COLUMN "candidate_feedback_accuracy" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "gate_decisions" ADD COLUMN "holdout" jsonb;
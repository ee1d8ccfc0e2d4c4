CREATE TABLE "bin_assignments" (
	"site" text NOT NULL,
	"ball_label" text NOT NULL,
	"bin_label" text NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bin_assignments_site_ball_label_pk" PRIMARY KEY("site","ball_label")
);
--> statement-breakpoint
CREATE TABLE "bins" (
	"site" text NOT NULL,
	"label" text NOT NULL,
	"capacity" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bins_site_label_pk" PRIMARY KEY("site","label")
);
--> statement-breakpoint
CREATE TABLE "put_aways" (
	"id" serial PRIMARY KEY NOT NULL,
	"prediction_id" uuid NOT NULL,
	"site" text NOT NULL,
	"bin_label" text NOT NULL,
	"expected_bin_label" text,
	"outcome" text NOT NULL,
	"confirmed_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "predictions" ADD COLUMN "site" text;--> statement-breakpoint
ALTER TABLE "bin_assignments" ADD CONSTRAINT "bin_assignments_site_bin_label_bins_site_label_fk" FOREIGN KEY ("site","bin_label") REFERENCES "public"."bins"("site","label") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "put_aways" ADD CONSTRAINT "put_aways_prediction_id_predictions_id_fk" FOREIGN KEY ("prediction_id") REFERENCES "public"."predictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bin_assignments_bin_idx" ON "bin_assignments" USING btree ("site","bin_label");--> statement-breakpoint
CREATE INDEX "put_aways_prediction_idx" ON "put_aways" USING btree ("prediction_id","created_at");
CREATE TABLE "findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"monitor" text NOT NULL,
	"key" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"severity" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"impact" text NOT NULL,
	"amount" numeric(20, 4),
	"currency" char(3),
	"supplier_id" uuid,
	"subject_type" text,
	"subject_id" text,
	"evidence" jsonb NOT NULL,
	"recommendation" text NOT NULL,
	"route_to" text[] DEFAULT '{}'::text[] NOT NULL,
	"proposal" jsonb,
	"approval_id" uuid,
	"decision" jsonb,
	"seen_count" integer DEFAULT 1 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_approval_id_approvals_id_fk" FOREIGN KEY ("approval_id") REFERENCES "public"."approvals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "findings_monitor_key_uq" ON "findings" USING btree ("monitor","key");--> statement-breakpoint
CREATE INDEX "findings_status_idx" ON "findings" USING btree ("status","last_seen_at");--> statement-breakpoint
CREATE INDEX "findings_supplier_idx" ON "findings" USING btree ("supplier_id");
CREATE TABLE "sourcing_bid_lines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bid_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"item_code" text,
	"description" text,
	"quantity" numeric(18, 4),
	"unit" text,
	"unit_price" numeric(20, 4),
	"line_total" numeric(20, 4),
	"lead_time_days" integer,
	"notes" text,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"source_line" integer
);
--> statement-breakpoint
CREATE TABLE "sourcing_bids" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"supplier_id" uuid NOT NULL,
	"bidder_name" text NOT NULL,
	"currency" char(3) NOT NULL,
	"batch_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sourcing_event_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"item_code" text,
	"description" text NOT NULL,
	"quantity" numeric(18, 4),
	"unit" text
);
--> statement-breakpoint
ALTER TABLE "sourcing_events" ALTER COLUMN "status" SET DEFAULT 'draft';--> statement-breakpoint
ALTER TABLE "sourcing_events" ADD COLUMN "number" serial NOT NULL;--> statement-breakpoint
ALTER TABLE "sourcing_events" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "sourcing_events" ADD COLUMN "requester_email" text;--> statement-breakpoint
ALTER TABLE "sourcing_events" ADD COLUMN "buyer_email" text;--> statement-breakpoint
ALTER TABLE "sourcing_events" ADD COLUMN "needed_from" date;--> statement-breakpoint
ALTER TABLE "sourcing_events" ADD COLUMN "deadline" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sourcing_events" ADD COLUMN "criteria" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "sourcing_events" ADD COLUMN "award" jsonb;--> statement-breakpoint
ALTER TABLE "sourcing_events" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "sourcing_bid_lines" ADD CONSTRAINT "sourcing_bid_lines_bid_id_sourcing_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."sourcing_bids"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sourcing_bids" ADD CONSTRAINT "sourcing_bids_event_id_sourcing_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."sourcing_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sourcing_bids" ADD CONSTRAINT "sourcing_bids_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sourcing_bids" ADD CONSTRAINT "sourcing_bids_batch_id_import_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sourcing_event_lines" ADD CONSTRAINT "sourcing_event_lines_event_id_sourcing_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."sourcing_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sourcing_bid_lines_uq" ON "sourcing_bid_lines" USING btree ("bid_id","line_no");--> statement-breakpoint
CREATE UNIQUE INDEX "sourcing_bids_event_supplier_uq" ON "sourcing_bids" USING btree ("event_id","supplier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sourcing_event_lines_uq" ON "sourcing_event_lines" USING btree ("event_id","line_no");--> statement-breakpoint
CREATE UNIQUE INDEX "sourcing_events_number_uq" ON "sourcing_events" USING btree ("number");--> statement-breakpoint
CREATE INDEX "sourcing_events_status_idx" ON "sourcing_events" USING btree ("status");
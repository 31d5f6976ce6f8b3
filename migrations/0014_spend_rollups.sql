CREATE TABLE "spend_month_rollup" (
	"currency" char(3) NOT NULL,
	"month" date NOT NULL,
	"category" text,
	"category_code" text,
	"department" text,
	"total" numeric NOT NULL,
	"lines" integer NOT NULL,
	CONSTRAINT "spend_month_rollup_key" UNIQUE NULLS NOT DISTINCT("currency","month","category","category_code","department")
);
--> statement-breakpoint
CREATE TABLE "spend_supplier_month_rollup" (
	"supplier_id" uuid NOT NULL,
	"month" date NOT NULL,
	"currency" char(3) NOT NULL,
	"total" numeric NOT NULL,
	"lines" integer NOT NULL,
	CONSTRAINT "spend_supplier_month_rollup_supplier_id_month_currency_pk" PRIMARY KEY("supplier_id","month","currency")
);
--> statement-breakpoint
DROP INDEX "spend_lines_dedup_uq";--> statement-breakpoint
ALTER TABLE "spend_supplier_month_rollup" ADD CONSTRAINT "spend_supplier_month_rollup_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "spend_supplier_month_rollup_month_idx" ON "spend_supplier_month_rollup" USING btree ("month");--> statement-breakpoint
CREATE UNIQUE INDEX "spend_lines_dedup_uq" ON "spend_lines" USING btree ("date","dedup_hash","dedup_seq");
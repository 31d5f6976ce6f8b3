CREATE TABLE "spend_supplier_rollup" (
	"supplier_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"total" numeric NOT NULL,
	"lines" integer NOT NULL,
	CONSTRAINT "spend_supplier_rollup_supplier_id_currency_pk" PRIMARY KEY("supplier_id","currency")
);
--> statement-breakpoint
ALTER TABLE "spend_supplier_rollup" ADD CONSTRAINT "spend_supplier_rollup_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Lines stored before this rollup existed.
INSERT INTO "spend_supplier_rollup" (supplier_id, currency, total, lines)
  SELECT supplier_id, currency, sum(total), sum(lines)::int FROM spend_supplier_year_rollup GROUP BY 1, 2;--> statement-breakpoint
CREATE OR REPLACE FUNCTION spend_rollups_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE spend_month_rollup, spend_supplier_month_rollup, spend_day_rollup, spend_supplier_year_rollup,
    spend_supplier_rollup;
  RETURN NULL;
END $$;

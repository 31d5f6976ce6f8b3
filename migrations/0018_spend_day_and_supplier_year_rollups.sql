CREATE TABLE "spend_day_rollup" (
	"date" date NOT NULL,
	"currency" char(3) NOT NULL,
	"category" text,
	"category_code" text,
	"department" text,
	"total" numeric NOT NULL,
	"lines" integer NOT NULL,
	CONSTRAINT "spend_day_rollup_key" UNIQUE NULLS NOT DISTINCT("date","currency","category","category_code","department")
);
--> statement-breakpoint
CREATE TABLE "spend_supplier_year_rollup" (
	"supplier_id" uuid NOT NULL,
	"year" date NOT NULL,
	"currency" char(3) NOT NULL,
	"total" numeric NOT NULL,
	"lines" integer NOT NULL,
	CONSTRAINT "spend_supplier_year_rollup_year_supplier_id_currency_pk" PRIMARY KEY("year","supplier_id","currency")
);
--> statement-breakpoint
ALTER TABLE "spend_supplier_year_rollup" ADD CONSTRAINT "spend_supplier_year_rollup_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;
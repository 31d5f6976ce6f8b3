-- The supplier rollups gain the category (text and code), so a supplier ranking under a category filter, and one
-- supplier's spend by category, read them instead of every line. Their rows are recomputed from the lines; the
-- statements that keep them (spend_rollup_statements, migration 0020) group by the new key.
DROP INDEX "spend_supplier_month_rollup_month_cover_idx";--> statement-breakpoint
ALTER TABLE "spend_supplier_month_rollup" DROP CONSTRAINT "spend_supplier_month_rollup_supplier_id_month_currency_pk";--> statement-breakpoint
ALTER TABLE "spend_supplier_year_rollup" DROP CONSTRAINT "spend_supplier_year_rollup_year_supplier_id_currency_pk";--> statement-breakpoint
ALTER TABLE "spend_supplier_month_rollup" ADD COLUMN "category" text;--> statement-breakpoint
ALTER TABLE "spend_supplier_month_rollup" ADD COLUMN "category_code" text;--> statement-breakpoint
ALTER TABLE "spend_supplier_year_rollup" ADD COLUMN "category" text;--> statement-breakpoint
ALTER TABLE "spend_supplier_year_rollup" ADD COLUMN "category_code" text;--> statement-breakpoint
TRUNCATE "spend_supplier_month_rollup", "spend_supplier_year_rollup";--> statement-breakpoint
INSERT INTO "spend_supplier_month_rollup" (supplier_id, month, currency, category, category_code, total, lines)
  SELECT supplier_id, date_trunc('month', date)::date, currency, category, category_code, sum(amount), count(*)::int
    FROM spend_lines GROUP BY 1, 2, 3, 4, 5;--> statement-breakpoint
INSERT INTO "spend_supplier_year_rollup" (year, supplier_id, currency, category, category_code, total, lines)
  SELECT date_trunc('year', month)::date, supplier_id, currency, category, category_code, sum(total), sum(lines)::int
    FROM spend_supplier_month_rollup GROUP BY 1, 2, 3, 4, 5;--> statement-breakpoint
CREATE INDEX "spend_supplier_month_rollup_month_cover_idx" ON "spend_supplier_month_rollup" USING btree ("month","supplier_id","currency","category","category_code","total","lines");--> statement-breakpoint
ALTER TABLE "spend_supplier_month_rollup" ADD CONSTRAINT "spend_supplier_month_rollup_key" UNIQUE NULLS NOT DISTINCT("supplier_id","month","currency","category","category_code");--> statement-breakpoint
ALTER TABLE "spend_supplier_year_rollup" ADD CONSTRAINT "spend_supplier_year_rollup_key" UNIQUE NULLS NOT DISTINCT("year","supplier_id","currency","category","category_code");

-- Supplier spend per quarter and currency (no category): a supplier ranking over a range that cuts months reads
-- whole quarters between its whole years and its end months instead of up to eleven months of
-- spend_supplier_month_rollup at each end (at 10M lines and 20k suppliers: 39k rows a quarter against 33k a month;
-- a one-year range summed 463 -> 236 ms, median of five, in psql). The primary key's index carries total and lines,
-- so quarters are read from it alone (drizzle-kit cannot express INCLUDE; src/db/schema.ts names the key only). The
-- statements that move the rollups (migration 0020) and the triggers' clean-up of emptied keys now include it.
CREATE TABLE "spend_supplier_quarter_rollup" (
	"quarter" date NOT NULL,
	"supplier_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"total" numeric NOT NULL,
	"lines" integer NOT NULL,
	CONSTRAINT "spend_supplier_quarter_rollup_quarter_supplier_id_currency_pk" PRIMARY KEY("quarter","supplier_id","currency")
	  INCLUDE ("total", "lines")
);
--> statement-breakpoint
ALTER TABLE "spend_supplier_quarter_rollup" ADD CONSTRAINT "spend_supplier_quarter_rollup_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Lines stored before this rollup existed.
INSERT INTO "spend_supplier_quarter_rollup" (quarter, supplier_id, currency, total, lines)
  SELECT date_trunc('quarter', month)::date, supplier_id, currency, sum(total), sum(lines)::int
    FROM spend_supplier_month_rollup GROUP BY 1, 2, 3;--> statement-breakpoint
CREATE OR REPLACE FUNCTION spend_rollups_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE spend_month_rollup, spend_supplier_month_rollup, spend_day_rollup, spend_supplier_year_rollup,
    spend_supplier_quarter_rollup, spend_supplier_rollup;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION spend_rollup_statements(days text, suppliers text, sign int) RETURNS text[] LANGUAGE sql IMMUTABLE AS $f$
  SELECT ARRAY[
    format($q$
      WITH d AS (
        SELECT date, currency, category, category_code, department, %1$s * sum(amount) AS total, %1$s * sum(n)::int AS lines
          FROM %2$s l GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0),
      day AS (
        INSERT INTO spend_day_rollup AS r (date, currency, category, category_code, department, total, lines)
          SELECT * FROM d ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT ON CONSTRAINT spend_day_rollup_key
          DO UPDATE SET total = r.total + excluded.total, lines = r.lines + excluded.lines)
      INSERT INTO spend_month_rollup AS r (currency, month, category, category_code, department, total, lines)
        SELECT currency, date_trunc('month', date)::date, category, category_code, department, sum(total), sum(lines)::int
          FROM d GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT ON CONSTRAINT spend_month_rollup_key
          DO UPDATE SET total = r.total + excluded.total, lines = r.lines + excluded.lines$q$, sign, days),
    format($q$
      WITH m AS (
        SELECT supplier_id, date_trunc('month', date)::date AS month, currency, category, category_code,
               %1$s * sum(amount) AS total, %1$s * sum(n)::int AS lines
          FROM %2$s l GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0),
      month AS (
        INSERT INTO spend_supplier_month_rollup AS r (supplier_id, month, currency, category, category_code, total, lines)
          SELECT * FROM m ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT ON CONSTRAINT spend_supplier_month_rollup_key
          DO UPDATE SET total = r.total + excluded.total, lines = r.lines + excluded.lines),
      year AS (
        INSERT INTO spend_supplier_year_rollup AS r (year, supplier_id, currency, category, category_code, total, lines)
          SELECT date_trunc('year', month)::date, supplier_id, currency, category, category_code, sum(total), sum(lines)::int
            FROM m GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
          ON CONFLICT ON CONSTRAINT spend_supplier_year_rollup_key
            DO UPDATE SET total = r.total + excluded.total, lines = r.lines + excluded.lines),
      quarter AS (
        INSERT INTO spend_supplier_quarter_rollup AS r (quarter, supplier_id, currency, total, lines)
          SELECT date_trunc('quarter', month)::date, supplier_id, currency, sum(total), sum(lines)::int
            FROM m GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
          ON CONFLICT (quarter, supplier_id, currency)
            DO UPDATE SET total = r.total + excluded.total, lines = r.lines + excluded.lines)
      INSERT INTO spend_supplier_rollup AS r (supplier_id, currency, total, lines)
        SELECT supplier_id, currency, sum(total), sum(lines)::int FROM m GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (supplier_id, currency)
          DO UPDATE SET total = r.total + excluded.total, lines = r.lines + excluded.lines$q$, sign, suppliers)
  ]
$f$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION spend_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  change record;
  statement text;
BEGIN
  -- An import sets this for its own transaction and moves the rollups itself, once, from its lines' totals:
  -- moving them per statement would update the same keys again for every chunk of the file.
  IF current_setting('qm.defer_spend_rollups', true) = 'on' THEN
    RETURN NULL;
  END IF;
  -- Lines that went away are subtracted, lines that came are added: the same statements over either transition table.
  FOR change IN
    SELECT rel, sign FROM (VALUES ('old_lines', -1, 1), ('new_lines', 1, 2)) v(rel, sign, ord)
     WHERE (rel = 'old_lines' AND TG_OP IN ('DELETE', 'UPDATE')) OR (rel = 'new_lines' AND TG_OP IN ('INSERT', 'UPDATE'))
     ORDER BY ord
  LOOP
    FOREACH statement IN ARRAY spend_rollup_statements(
      format('(SELECT date, currency, category, category_code, department, amount, 1 AS n FROM %I)', change.rel),
      format('(SELECT supplier_id, date, currency, category, category_code, amount, 1 AS n FROM %I)', change.rel),
      change.sign) LOOP
      EXECUTE statement;
    END LOOP;
  END LOOP;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    -- Keys whose last line went away; the month rollup is small enough to sweep, the others within the change's keys.
    DELETE FROM spend_month_rollup WHERE lines = 0;
    DELETE FROM spend_day_rollup
      WHERE lines = 0 AND date >= (SELECT min(date) FROM old_lines) AND date <= (SELECT max(date) FROM old_lines);
    DELETE FROM spend_supplier_month_rollup r
      USING (SELECT DISTINCT supplier_id, date_trunc('month', date)::date AS month, currency FROM old_lines) k
      WHERE r.lines = 0 AND r.supplier_id = k.supplier_id AND r.month = k.month AND r.currency = k.currency;
    DELETE FROM spend_supplier_year_rollup r
      USING (SELECT DISTINCT supplier_id, date_trunc('year', date)::date AS year, currency FROM old_lines) k
      WHERE r.lines = 0 AND r.supplier_id = k.supplier_id AND r.year = k.year AND r.currency = k.currency;
    DELETE FROM spend_supplier_quarter_rollup r
      USING (SELECT DISTINCT supplier_id, date_trunc('quarter', date)::date AS quarter, currency FROM old_lines) k
      WHERE r.lines = 0 AND r.supplier_id = k.supplier_id AND r.quarter = k.quarter AND r.currency = k.currency;
    DELETE FROM spend_supplier_rollup r
      USING (SELECT DISTINCT supplier_id, currency FROM old_lines) k
      WHERE r.lines = 0 AND r.supplier_id = k.supplier_id AND r.currency = k.currency;
  END IF;
  RETURN NULL;
END $$;

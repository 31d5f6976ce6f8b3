-- The spend rollups move with spend_lines in the same statement: every insert, update, delete or truncate of spend
-- lines, whoever makes it (an import, an undo, a test), adds or subtracts its lines' totals per key. Statement
-- triggers with transition tables aggregate a million-row insert once instead of firing per row. Rows are applied
-- in key order so two imports touching the same keys lock them in the same order.
CREATE FUNCTION spend_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    INSERT INTO spend_month_rollup AS r (currency, month, category, category_code, department, total, lines)
      SELECT currency, date_trunc('month', date)::date, category, category_code, department, -sum(amount), -count(*)::int
        FROM old_lines GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ON CONSTRAINT spend_month_rollup_key
        DO UPDATE SET total = r.total + excluded.total, lines = r.lines + excluded.lines;
    INSERT INTO spend_supplier_month_rollup AS r (supplier_id, month, currency, total, lines)
      SELECT supplier_id, date_trunc('month', date)::date, currency, -sum(amount), -count(*)::int
        FROM old_lines GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (supplier_id, month, currency)
        DO UPDATE SET total = r.total + excluded.total, lines = r.lines + excluded.lines;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO spend_month_rollup AS r (currency, month, category, category_code, department, total, lines)
      SELECT currency, date_trunc('month', date)::date, category, category_code, department, sum(amount), count(*)::int
        FROM new_lines GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ON CONSTRAINT spend_month_rollup_key
        DO UPDATE SET total = r.total + excluded.total, lines = r.lines + excluded.lines;
    INSERT INTO spend_supplier_month_rollup AS r (supplier_id, month, currency, total, lines)
      SELECT supplier_id, date_trunc('month', date)::date, currency, sum(amount), count(*)::int
        FROM new_lines GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (supplier_id, month, currency)
        DO UPDATE SET total = r.total + excluded.total, lines = r.lines + excluded.lines;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    -- Keys whose last line went away; the month rollup is small enough to sweep.
    DELETE FROM spend_month_rollup WHERE lines = 0;
    DELETE FROM spend_supplier_month_rollup r
      USING (SELECT DISTINCT supplier_id, date_trunc('month', date)::date AS month, currency FROM old_lines) k
      WHERE r.lines = 0 AND r.supplier_id = k.supplier_id AND r.month = k.month AND r.currency = k.currency;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER spend_lines_rollup_insert AFTER INSERT ON spend_lines
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION spend_rollups_apply();
--> statement-breakpoint
CREATE TRIGGER spend_lines_rollup_update AFTER UPDATE ON spend_lines
  REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION spend_rollups_apply();
--> statement-breakpoint
CREATE TRIGGER spend_lines_rollup_delete AFTER DELETE ON spend_lines
  REFERENCING OLD TABLE AS old_lines FOR EACH STATEMENT EXECUTE FUNCTION spend_rollups_apply();
--> statement-breakpoint
CREATE FUNCTION spend_rollups_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE spend_month_rollup, spend_supplier_month_rollup;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER spend_lines_rollup_truncate AFTER TRUNCATE ON spend_lines
  FOR EACH STATEMENT EXECUTE FUNCTION spend_rollups_clear();
--> statement-breakpoint
-- Lines imported before the rollups existed.
INSERT INTO spend_month_rollup (currency, month, category, category_code, department, total, lines)
  SELECT currency, date_trunc('month', date)::date, category, category_code, department, sum(amount), count(*)::int
    FROM spend_lines GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO spend_supplier_month_rollup (supplier_id, month, currency, total, lines)
  SELECT supplier_id, date_trunc('month', date)::date, currency, sum(amount), count(*)::int
    FROM spend_lines GROUP BY 1, 2, 3;

-- spend_lines_dedup_uq (date first) serves date ranges, and the rollups serve totals by period: the date index and the
-- covering (currency, date, amount) index only cost every import their maintenance or their rebuild.
DROP INDEX "spend_lines_date_idx";--> statement-breakpoint
DROP INDEX "spend_lines_currency_date_amount_idx";
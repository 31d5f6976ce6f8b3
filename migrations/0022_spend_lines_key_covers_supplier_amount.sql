-- spend_lines' unique key leads with the date; carrying each line's supplier, currency, amount and category as
-- well lets a supplier ranking (with or without a category filter) over a range that cuts months read the days at
-- either end from this index alone (an index-only scan) instead of from lines scattered over the table. drizzle-kit cannot express INCLUDE, so the schema in
-- src/db/schema.ts names the key columns only; a bulk load rebuilds the index from its catalog definition.
DROP INDEX "spend_lines_dedup_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "spend_lines_dedup_uq" ON "spend_lines" USING btree ("date","dedup_hash","dedup_seq")
  INCLUDE ("supplier_id","currency","amount","category","category_code");

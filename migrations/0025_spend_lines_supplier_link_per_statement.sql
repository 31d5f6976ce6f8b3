-- Every spend line names a stored supplier, checked once per statement instead of by a foreign key. The foreign key
-- checked each inserted line with its own lookup and lock of the supplier: a third of the time of inserting a
-- million lines into a table of five million (docs/BENCHMARKS.md). The statement triggers below check the same
-- rule set-based, over the statement's transition table: they lock every supplier the new lines name (FOR KEY
-- SHARE, as the foreign key's check does per line, so no other transaction can delete one or change its id until
-- this one ends) and refuse the statement when any is missing. A supplier that lines name cannot be deleted, nor
-- its id changed (the foreign key's NO ACTION). Both raise foreign_key_violation (23503) naming the old constraint.
ALTER TABLE "spend_lines" DROP CONSTRAINT "spend_lines_supplier_id_suppliers_id_fk";
--> statement-breakpoint
CREATE FUNCTION spend_lines_check_suppliers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  named uuid[];
  locked int;
  missing uuid;
BEGIN
  -- Hashed rather than sorted (count(DISTINCT …) sorts): a tenth of a second for a million lines.
  SELECT coalesce(array_agg(supplier_id), '{}') INTO named FROM (SELECT DISTINCT supplier_id FROM new_lines) k;
  SELECT count(*) INTO locked
    FROM (SELECT 1 FROM suppliers s WHERE s.id IN (SELECT unnest(named)) FOR KEY SHARE OF s) k;
  IF locked < cardinality(named) THEN
    SELECT n.supplier_id INTO missing FROM new_lines n
     WHERE NOT EXISTS (SELECT 1 FROM suppliers s WHERE s.id = n.supplier_id) LIMIT 1;
    RAISE EXCEPTION 'insert or update on table "spend_lines" names supplier % which does not exist', missing
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'spend_lines_supplier_id_suppliers_id_fk',
            TABLE = 'spend_lines', COLUMN = 'supplier_id';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER spend_lines_suppliers_on_insert AFTER INSERT ON spend_lines
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION spend_lines_check_suppliers();
--> statement-breakpoint
CREATE TRIGGER spend_lines_suppliers_on_update AFTER UPDATE ON spend_lines
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION spend_lines_check_suppliers();
--> statement-breakpoint
CREATE FUNCTION suppliers_keep_spend_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Run after the row is locked, so a transaction still writing lines that name it has ended, and (at READ
  -- COMMITTED, the isolation the product uses) this query sees the lines it wrote.
  IF EXISTS (SELECT 1 FROM spend_lines WHERE supplier_id = OLD.id) THEN
    RAISE EXCEPTION 'supplier % is still named by spend lines', OLD.id
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'spend_lines_supplier_id_suppliers_id_fk',
            TABLE = 'suppliers';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER suppliers_keep_spend_lines_on_delete AFTER DELETE ON suppliers
  FOR EACH ROW EXECUTE FUNCTION suppliers_keep_spend_lines();
--> statement-breakpoint
CREATE TRIGGER suppliers_keep_spend_lines_on_update AFTER UPDATE OF id ON suppliers
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION suppliers_keep_spend_lines();

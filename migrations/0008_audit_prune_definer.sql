-- Retention without a bypass: the append-only trigger on audit_events no longer has an exception that any session
-- could switch on (0004 let a DELETE through whenever the session had set qm.audit_prune = 'on'; any role can set
-- a custom setting). It now refuses every UPDATE, DELETE and TRUNCATE, and the one way to remove events is
-- qm_audit_prune(before_seq), a SECURITY DEFINER function that runs as the owner of audit_events and:
--   * takes the ledger's append lock (the same advisory lock as every append, key 7351043);
--   * refuses unless an audit_pruned event in the ledger records this very removal: data.beforeSeq = before_seq,
--     data.anchorHash = the prev_hash of event before_seq (so the rest still verifies), data.removed = the
--     number of events before it, and that record is itself kept (seq >= before_seq);
--   * switches the row trigger off for the DELETE and back on before returning. ALTER TABLE ... DISABLE TRIGGER
--     is transactional and needs ownership of the table: no other session ever sees the trigger off (the lock it
--     takes, SHARE ROW EXCLUSIVE, makes writers wait until commit; readers are not blocked), and only the owner,
--     who can do this anyway, or this function can do it.
-- EXECUTE is revoked from PUBLIC: grant it to the operator role that runs `qm audit prune`, not to the app
-- (GRANT EXECUTE ON FUNCTION qm_audit_prune(bigint) TO qm_operator). A role without DELETE on audit_events
-- cannot delete at all; with EXECUTE it can remove only a prefix that the chain records as pruned.
CREATE OR REPLACE FUNCTION audit_events_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE FUNCTION qm_audit_prune(before_seq bigint) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
  recorded bigint;
  deleted bigint;
BEGIN
  IF before_seq IS NULL OR before_seq < 2 THEN
    RAISE EXCEPTION 'qm_audit_prune: before_seq must be 2 or more, got %', before_seq USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM pg_advisory_xact_lock(7351043);
  SELECT (p.data->>'removed')::bigint INTO recorded
    FROM audit_events p
    WHERE p.action = 'audit_pruned'
      AND p.seq >= before_seq
      AND p.data->>'beforeSeq' = before_seq::text
      AND p.data->>'anchorHash' = (SELECT e.prev_hash FROM audit_events e WHERE e.seq = before_seq)
    ORDER BY p.seq DESC
    LIMIT 1;
  IF recorded IS NULL THEN
    RAISE EXCEPTION 'qm_audit_prune: no audit_pruned event records the removal of the events before #% (append one first)', before_seq
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
  DELETE FROM audit_events WHERE seq < before_seq;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;
  IF deleted <> recorded THEN
    RAISE EXCEPTION 'qm_audit_prune: the audit_pruned record says % events go before #%, there were %; nothing was removed', recorded, before_seq, deleted
      USING ERRCODE = 'data_exception';
  END IF;
  RETURN deleted;
END;
$$;
--> statement-breakpoint
-- A fixed search_path (the schema audit_events lives in, pg_temp last) so that a caller's objects can never stand
-- in for the ones the function means while it runs with the owner's rights.
DO $$
BEGIN
  EXECUTE format(
    'ALTER FUNCTION qm_audit_prune(bigint) SET search_path = pg_catalog, %I, pg_temp',
    (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = 'audit_events'::regclass)
  );
END;
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION qm_audit_prune(bigint) FROM PUBLIC;
